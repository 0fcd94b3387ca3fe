/** Runs once before all tests: says plainly which optional tiers are skipped and why. */
export default function setup(): void {
  if (!process.env.TEST_DATABASE_URL) {
    process.stdout.write(
      "\n⚠ PostgreSQL tests skipped: TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test); store tests ran on SQLite only.\n\n",
    );
  } else {
    process.stdout.write(
      `\nstore tests run on SQLite and PostgreSQL (${new URL(process.env.TEST_DATABASE_URL).host})\n\n`,
    );
  }
}
