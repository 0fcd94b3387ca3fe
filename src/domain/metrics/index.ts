export { FREQUENCY_CLASSES, type FrequencyClass, HEAT_LEVELS, type HeatLevel } from "./classes.js";
export { type ContactActivity, type ContactMetrics, computeContactMetrics, withRfm } from "./contact.js";
export {
  FREQUENCY_THRESHOLDS_DAYS,
  type FrequencyResult,
  median,
  purchaseFrequency,
  purchaseOccasions,
} from "./frequency.js";
export {
  type EngagementMetrics,
  engagementMetrics,
  HEAT_THRESHOLDS_DAYS,
  heatLevel,
  type Interaction,
  READ_RATE_WINDOW_DAYS,
} from "./heat.js";
export { currencyDigits, formatMoney } from "./money.js";
export { DAY_MS, type OrderMetrics, type OrderRecord, type OrderStatus, orderMetrics, paidOrders } from "./orders.js";
export {
  type Quintiles,
  quintileBreakpoints,
  quintileScore,
  type RfmBreakpoints,
  type RfmScores,
  rfmScores,
} from "./rfm.js";
export {
  evaluateHighFrequency,
  evaluateSegmentTag,
  evaluateTagRule,
  evaluateTopSpender,
  HIGH_FREQUENCY_RULE,
  type TagFacts,
  type TagRule,
  type TagVerdict,
  topShareThreshold,
  VIP_RULE,
} from "./tag-rules.js";
