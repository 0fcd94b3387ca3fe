// Server issues (`{path, message}`) grouped by the editor field they name, e.g. `buttons[1].url`.
import type { TemplateIssue } from "../../api/types";

export type IssueMap = ReadonlyMap<string, string[]>;

/** Groups issues by path. */
export function issuesByPath(issues: readonly { path: string; message: string }[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const issue of issues) map.set(issue.path, [...(map.get(issue.path) ?? []), issue.message]);
  return map;
}

/** The first segment of a path (`buttons[1].url` → `buttons`, `examples.2` → `examples`): the field that was edited. */
export function topField(path: string): string {
  return path.split(/[.[]/)[0] ?? path;
}

/** The messages at `path`, joined, or null (for a Mantine input's `error`). */
export function errorAt(map: IssueMap, path: string): string | null {
  const messages = map.get(path);
  return messages && messages.length > 0 ? messages.join(" ") : null;
}

/** Issues whose path is not one the form shows next to a field. */
export function unplacedIssues(issues: readonly TemplateIssue[], placed: (path: string) => boolean): TemplateIssue[] {
  return issues.filter((issue) => !placed(issue.path));
}
