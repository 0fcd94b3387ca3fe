import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconPlayerPlay } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type RuleVerdict, testRules } from "../../api/automation";
import { errorMessage } from "../../lib/errors";

const OUTCOME_COLOR: Record<RuleVerdict["outcome"], string> = {
  fired: "teal",
  disabled: "gray",
  no_match: "gray",
  condition_failed: "orange",
  not_reached: "gray",
};

/** Type a message (or a button payload) and see which rule fires, why the others do not, and what would be sent. */
export function TesterCard() {
  const { t } = useTranslation();
  const [text, setText] = useState("할인 코드 주세요");
  const [payload, setPayload] = useState("");
  const [contactId, setContactId] = useState("");
  const [windowClosed, setWindowClosed] = useState(false);
  const [firstMessage, setFirstMessage] = useState(false);
  const run = useMutation({ mutationFn: testRules });
  const submit = () =>
    run.mutate({
      ...(text.trim() ? { text } : {}),
      ...(payload.trim() ? { payload: payload.trim() } : {}),
      ...(contactId.trim() ? { contactId: contactId.trim() } : {}),
      windowClosed,
      firstMessage,
    });
  const result = run.data;

  return (
    <Paper withBorder p="md" data-testid="rule-tester">
      <Stack gap="sm">
        <Title order={4}>{t("automations.tester.title")}</Title>
        <Text size="sm" c="dimmed">
          {t("automations.tester.intro")}
        </Text>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack gap="xs">
            <TextInput
              label={t("automations.tester.text")}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
            />
            <Group grow>
              <TextInput
                label={t("automations.tester.payload")}
                placeholder="OFFER_YES"
                value={payload}
                onChange={(e) => setPayload(e.currentTarget.value)}
              />
              <TextInput
                label={t("automations.tester.contact")}
                placeholder={t("automations.tester.contactPlaceholder")}
                value={contactId}
                onChange={(e) => setContactId(e.currentTarget.value)}
              />
            </Group>
            <Group>
              <Checkbox
                label={t("automations.tester.windowClosed")}
                checked={windowClosed}
                onChange={(e) => setWindowClosed(e.currentTarget.checked)}
              />
              <Checkbox
                label={t("automations.tester.firstMessage")}
                checked={firstMessage}
                onChange={(e) => setFirstMessage(e.currentTarget.checked)}
              />
            </Group>
            <Group>
              <Button type="submit" leftSection={<IconPlayerPlay size={16} />} loading={run.isPending}>
                {t("automations.tester.run")}
              </Button>
            </Group>
          </Stack>
        </form>
        {run.isError ? (
          <Alert color="red" role="alert">
            {errorMessage(t, run.error)}
          </Alert>
        ) : null}
        {result ? (
          <Stack gap="xs" data-testid="tester-result">
            {result.plan ? (
              <Alert color="teal" title={t("automations.tester.fires", { name: result.plan.ruleName })}>
                <Stack gap={4}>
                  {result.wouldSend ? (
                    <>
                      <Text size="sm">{t("automations.tester.wouldSend")}</Text>
                      <Code block>{JSON.stringify(result.wouldSend, null, 2)}</Code>
                    </>
                  ) : (
                    <Text size="sm">{t("automations.tester.noReply")}</Text>
                  )}
                  {result.replyProblem ? (
                    <Text size="sm" c="orange">
                      {result.replyProblem}
                    </Text>
                  ) : null}
                  {result.plan.consent ? (
                    <Text size="sm">{t(`automations.actionKind.${result.plan.consent}`)}</Text>
                  ) : null}
                  {result.plan.addTags.length > 0 ? (
                    <Text size="sm">{t("automations.describe.addTag", { tag: result.plan.addTags.join(", ") })}</Text>
                  ) : null}
                  {result.plan.handover ? <Text size="sm">{t("automations.actionKind.handover")}</Text> : null}
                </Stack>
              </Alert>
            ) : (
              <Alert color="gray">{t("automations.tester.nothing")}</Alert>
            )}
            <Table verticalSpacing={4}>
              <Table.Tbody>
                {result.verdicts.map((v) => (
                  <Table.Tr key={v.ruleId}>
                    <Table.Td>
                      <Text size="sm">{v.name}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={OUTCOME_COLOR[v.outcome]}>
                        {t(`automations.outcome.${v.outcome}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {v.detail}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
