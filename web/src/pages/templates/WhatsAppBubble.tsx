import { Box, Group, Stack, Text } from "@mantine/core";
import {
  IconCopy,
  IconCornerUpLeft,
  IconExternalLink,
  IconFile,
  IconMapPin,
  IconPhone,
  IconPhoto,
  IconVideo,
} from "@tabler/icons-react";
import { useTranslation } from "react-i18next";
import type { Bubble, BubbleButton } from "../../api/types";

// WhatsApp's own colours, so the preview reads as a chat at a glance.
const CHAT_BACKGROUND = "#efeae2";
const BUBBLE = "#ffffff";
const LINK = "#027eb5";
const META = "#667781";

function ButtonIcon({ button }: { button: BubbleButton }) {
  switch (button.kind) {
    case "QUICK_REPLY":
      return <IconCornerUpLeft size={16} />;
    case "URL":
      return <IconExternalLink size={16} />;
    case "PHONE_NUMBER":
      return <IconPhone size={16} />;
    default:
      return <IconCopy size={16} />;
  }
}

/** WhatsApp's text styles: *bold*, _italic_, ~strike~ and ```mono```, as the app renders them. */
function Formatted({ text }: { text: string }) {
  const parts = text.split(/(\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~|```[^`]+```)/g);
  return (
    <>
      {parts.map((part, index) => {
        const key = `${index}-${part.length}`;
        if (/^\*[^*]+\*$/.test(part)) return <strong key={key}>{part.slice(1, -1)}</strong>;
        if (/^_[^_]+_$/.test(part)) return <em key={key}>{part.slice(1, -1)}</em>;
        if (/^~[^~]+~$/.test(part)) return <s key={key}>{part.slice(1, -1)}</s>;
        if (/^```[^`]+```$/.test(part))
          return (
            <code key={key} style={{ fontFamily: "monospace" }}>
              {part.slice(3, -3)}
            </code>
          );
        return <span key={key}>{part}</span>;
      })}
    </>
  );
}

/** A template message as the recipient sees it: a chat bubble with header, body, footer, time and buttons. */
export function WhatsAppBubble({ bubble, dimmed = false }: { bubble: Bubble; dimmed?: boolean }) {
  const { t } = useTranslation();
  const header = bubble.header;
  return (
    <Box
      p="md"
      style={{ background: CHAT_BACKGROUND, borderRadius: 12, opacity: dimmed ? 0.5 : 1 }}
      data-testid="whatsapp-bubble"
    >
      <Box maw={320} style={{ filter: "drop-shadow(0 1px 0.5px rgba(11,20,26,.13))" }}>
        <Box p={8} style={{ background: BUBBLE, borderRadius: "0 8px 8px 8px" }}>
          <Stack gap={4}>
            {header?.kind === "TEXT" ? (
              <Text fw={700} size="sm" style={{ whiteSpace: "pre-wrap" }} data-testid="bubble-header">
                {header.text}
              </Text>
            ) : null}
            {header && header.kind !== "TEXT" ? (
              <Box
                h={120}
                style={{
                  background: "#d1d7db",
                  borderRadius: 6,
                  display: "flex",
                  alignItems: "center",
                  justifyContent: "center",
                  overflow: "hidden",
                }}
                data-testid="bubble-header"
              >
                {header.kind === "IMAGE" && "link" in header.media && /^https?:/.test(header.media.link) ? (
                  <img src={header.media.link} alt="" style={{ width: "100%", height: "100%", objectFit: "cover" }} />
                ) : (
                  <Group gap={6} c={META}>
                    {header.kind === "IMAGE" ? <IconPhoto size={28} /> : null}
                    {header.kind === "VIDEO" ? <IconVideo size={28} /> : null}
                    {header.kind === "DOCUMENT" ? <IconFile size={28} /> : null}
                    {header.kind === "LOCATION" ? <IconMapPin size={28} /> : null}
                    <Text size="xs">
                      {header.kind === "LOCATION"
                        ? t("templates.previewLocation")
                        : t("templates.previewMediaPlaceholder", { kind: t(`templates.headerKinds.${header.kind}`) })}
                    </Text>
                  </Group>
                )}
              </Box>
            ) : null}
            <Text size="sm" style={{ whiteSpace: "pre-wrap", wordBreak: "break-word" }} data-testid="bubble-body">
              <Formatted text={bubble.body} />
            </Text>
            {bubble.footer ? (
              <Text size="xs" c={META} data-testid="bubble-footer">
                {bubble.footer}
              </Text>
            ) : null}
            <Text size="10px" c={META} ta="right">
              {t("templates.previewTime")}
            </Text>
          </Stack>
        </Box>
        {bubble.buttons.map((button, index) => (
          <Group
            // biome-ignore lint/suspicious/noArrayIndexKey: a template's buttons have no id; their order is fixed
            key={`${button.kind}-${index}`}
            justify="center"
            gap={6}
            mt={2}
            py={8}
            style={{ background: BUBBLE, borderRadius: 8, color: LINK }}
            title={button.kind === "URL" ? button.url : button.kind === "PHONE_NUMBER" ? button.phoneNumber : undefined}
            data-testid="bubble-button"
          >
            <ButtonIcon button={button} />
            <Text size="sm" fw={500}>
              {button.text}
            </Text>
          </Group>
        ))}
      </Box>
    </Box>
  );
}
