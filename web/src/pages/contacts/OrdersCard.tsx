import { Badge, Button, Table, Text } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { contactsKey, listOrders } from "../../api/contacts";
import type { Order, OrderStatus } from "../../api/types";
import { QueryError } from "../../components/QueryError";
import { formatDate, formatTime } from "../../lib/format";
import { formatMoney } from "../../lib/money";
import { Card } from "./Card";

const STATUS_COLOR: Record<OrderStatus, string> = { paid: "teal", refunded: "orange", cancelled: "gray" };
/** The profile carries the newest 20 orders; older ones come from /orders. */
const RECENT = 20;

/** The contact's orders, newest first: the profile's recent ones, and all of them on request. */
export function OrdersCard({ contactId, recentOrders }: { contactId: string; recentOrders: Order[] }) {
  const { t } = useTranslation();
  const [showAll, setShowAll] = useState(false);
  const all = useInfiniteQuery({
    queryKey: [...contactsKey, "orders", contactId],
    queryFn: ({ pageParam }) => listOrders(contactId, pageParam, 100),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    enabled: showAll,
  });
  const orders = showAll && all.data ? all.data.pages.flatMap((page) => page.data) : recentOrders;

  return (
    <Card title={t("orders.title")}>
      {orders.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("orders.none")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing={4} data-testid="contact-orders">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("orders.placedAt")}</Table.Th>
                <Table.Th>{t("orders.externalId")}</Table.Th>
                <Table.Th ta="right">{t("orders.amount")}</Table.Th>
                <Table.Th>{t("common.status")}</Table.Th>
                <Table.Th>{t("orders.source")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orders.map((order) => (
                <Table.Tr key={order.id}>
                  <Table.Td style={{ whiteSpace: "nowrap" }} title={formatTime(order.placedAt)}>
                    {formatDate(order.placedAt)}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: "nowrap" }}>{order.externalId}</Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: "nowrap" }}>
                    {formatMoney(order.amount, order.currency)}
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={STATUS_COLOR[order.status]}>
                      {t(`orders.status.${order.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{order.source ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {all.isError ? <QueryError error={all.error} onRetry={() => all.refetch()} /> : null}
      {!showAll && recentOrders.length >= RECENT ? (
        <Button variant="subtle" size="xs" mt="xs" onClick={() => setShowAll(true)}>
          {t("orders.showAll")}
        </Button>
      ) : null}
      {showAll && all.hasNextPage ? (
        <Button variant="subtle" size="xs" mt="xs" loading={all.isFetchingNextPage} onClick={() => all.fetchNextPage()}>
          {t("orders.more")}
        </Button>
      ) : null}
    </Card>
  );
}
