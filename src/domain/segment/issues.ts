/** A problem found in a rule tree: where (`rules.children[2].value`), what kind, and a sentence. */
export interface SegmentIssue {
  path: string;
  code: SegmentIssueCode;
  message: string;
}

export type SegmentIssueCode =
  | "too_deep"
  | "too_many_conditions"
  | "too_many_nodes"
  | "invalid_shape"
  | "empty_group"
  | "unknown_field"
  | "operator_not_allowed"
  | "value_required"
  | "value_not_allowed"
  | "invalid_value"
  | "value_too_long"
  | "list_empty"
  | "list_too_long"
  | "invalid_range";

/** `["children", 2, "value"]` under `rules` → `rules.children[2].value`. */
export function joinPath(base: string, ...keys: readonly PropertyKey[]): string {
  return keys.reduce<string>(
    (path, key) => (typeof key === "number" ? `${path}[${key}]` : `${path}.${String(key)}`),
    base,
  );
}
