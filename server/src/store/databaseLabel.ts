// DATABASE_URL as it may be logged: a PostgreSQL URL's password is replaced, never printed.
export function databaseLabel(databaseUrl: string): string {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) return databaseUrl;
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    url.searchParams.delete('password');
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
