#!/usr/bin/env node
// `npm start`: the desktop app, or browser mode when Electron cannot run here. See main/start.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/start.ts');
const code = await main(process.argv.slice(2));
if (code !== undefined) process.exit(code);
