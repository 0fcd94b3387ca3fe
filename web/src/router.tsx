// Every URL of the dashboard. The server answers any other GET path with index.html, so these work on reload too.
import { createBrowserRouter, Navigate } from "react-router";
import { RequireAuth } from "./auth/RequireAuth";
import { AppLayout } from "./components/AppLayout";
import { AnalyticsPage } from "./pages/analytics/AnalyticsPage";
import { CampaignReportPage } from "./pages/analytics/CampaignReportPage";
import { AutomationsPage } from "./pages/automations/AutomationsPage";
import { CampaignDetailPage } from "./pages/campaigns/CampaignDetailPage";
import { CampaignsPage } from "./pages/campaigns/CampaignsPage";
import { CampaignWizardPage } from "./pages/campaigns/CampaignWizardPage";
import { ContactPage } from "./pages/contacts/ContactPage";
import { ContactsPage } from "./pages/contacts/ContactsPage";
import { ImportPage } from "./pages/contacts/ImportPage";
import { ImportProgressPage } from "./pages/contacts/ImportProgressPage";
import { InboxPage } from "./pages/inbox/InboxPage";
import { LoginPage } from "./pages/login/LoginPage";
import { NotFoundPage } from "./pages/not-found/NotFoundPage";
import { SegmentEditorPage } from "./pages/segments/SegmentEditorPage";
import { SegmentsPage } from "./pages/segments/SegmentsPage";
import { SettingsIndex, SettingsPage } from "./pages/settings/SettingsPage";
import { TemplateEditorPage } from "./pages/templates/TemplateEditorPage";
import { TemplatesPage } from "./pages/templates/TemplatesPage";

export const router = createBrowserRouter([
  { path: "/login", element: <LoginPage /> },
  {
    path: "/",
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <Navigate to="/campaigns" replace /> },
      { path: "contacts", element: <ContactsPage /> },
      { path: "contacts/import", element: <ImportPage /> },
      { path: "contacts/import/:id", element: <ImportProgressPage /> },
      { path: "contacts/:id", element: <ContactPage /> },
      { path: "segments", element: <SegmentsPage /> },
      { path: "segments/new", element: <SegmentEditorPage /> },
      { path: "segments/:id", element: <SegmentEditorPage /> },
      { path: "templates", element: <TemplatesPage /> },
      { path: "templates/new", element: <TemplateEditorPage /> },
      { path: "templates/:id", element: <TemplateEditorPage /> },
      { path: "campaigns", element: <CampaignsPage /> },
      { path: "campaigns/new", element: <CampaignWizardPage /> },
      { path: "campaigns/:id", element: <CampaignDetailPage /> },
      { path: "campaigns/:id/edit", element: <CampaignWizardPage /> },
      { path: "inbox", element: <InboxPage /> },
      { path: "automations", element: <AutomationsPage /> },
      { path: "analytics", element: <AnalyticsPage /> },
      { path: "analytics/campaigns/:id", element: <CampaignReportPage /> },
      { path: "settings", element: <SettingsIndex /> },
      { path: "settings/:tab", element: <SettingsPage /> },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
