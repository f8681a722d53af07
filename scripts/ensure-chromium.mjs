// Browser tests drive Debian's Chromium through playwright-core (a browser download cannot work
// here). Installs it when it is missing, so `npm test` works on a fresh machine.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  const sudo = process.getuid && process.getuid() !== 0 ? 'sudo ' : '';
  console.error(`Chromium not found at ${CHROMIUM}; installing Debian's chromium package…`);
  execSync(`${sudo}apt-get update -qq && ${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null`, { stdio: 'inherit' });
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium is still missing at ${CHROMIUM}; install it (apt-get install chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
}
