#!/usr/bin/env node
// `npx rollout …` after `npm run build`: runs the compiled CLI from dist/.
const path = require('node:path');
const main = path.join(__dirname, '..', '..', '..', 'dist', 'tools', 'cli', 'src', 'main.js');
try {
  require.resolve(main);
} catch {
  process.stderr.write('rollout: dist/ is not built yet; run "npm run build" first.\n');
  process.exit(2);
}
require(main);
