#!/usr/bin/env node
// The `fastpy` command (compiled from lib/cli/*.ts by `npm run build`).
import { main } from '../lib/cli/main.js';

process.exitCode = await main(process.argv);
