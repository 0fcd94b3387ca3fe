/**
 * Size limits for rule trees, so "rule trees that nest absurdly deep" (issue 4) are refused before anything
 * recursive touches them. A marketer's real segments are a few levels and a few dozen conditions.
 */
export const SEGMENT_LIMITS = {
  /** The root is depth 1; a condition inside and → or → not is at depth 4. */
  maxDepth: 8,
  maxConditions: 200,
  /** All nodes, groups included: bounds the work on trees of empty or single-child groups. */
  maxNodes: 1000,
  /** Values in one in / not_in / has_any / has_all list. */
  maxListValues: 1000,
  maxTextLength: 500,
  maxDays: 3650,
} as const;
