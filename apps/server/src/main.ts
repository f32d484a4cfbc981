import { parseArgs } from 'node:util';
import { loadConfig } from './config';
import { runCommand, USAGE } from './cli/commands';

async function main(): Promise<void> {
  const [command = 'serve', ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      name: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      'owner-name': { type: 'string' },
      account: { type: 'string' },
      role: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || command === 'help' || command === '--help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  await runCommand(command, config, values, positionals);
}

main().catch((err: Error) => {
  console.error(`touchpoint: ${err.message}`);
  if (process.env.DEBUG) console.error(err.stack);
  process.exit(1);
});
