// `npm run migrate`: applies pending migrations to DATABASE_URL (the API and dev stack do it at start too).
import { ConfigError, loadConfig } from '../core/config';
import { required } from '../core/runtime';
import { connectDatabase } from '../db/client';
import { migrate } from '../db/migrate';

try {
  const config = loadConfig();
  const sql = await connectDatabase(required(config, 'DATABASE_URL'), {
    connectTimeoutS: config.DATABASE_CONNECT_TIMEOUT_S,
  });
  const applied = await migrate(sql);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
  await sql.end();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err));
  process.exit(1);
}
