// The command table. Each command lives in its own module; order here is the order in `slo --help`.
import type { Command } from '../context.ts';
import { info } from './info.ts';
import { ls } from './ls.ts';
import { stat } from './stat.ts';
import { upload } from './upload.ts';
import { download } from './download.ts';
import { inspect } from './inspect.ts';
import { verify } from './verify.ts';
import { rm } from './rm.ts';
import { orphans } from './orphans.ts';
import { convertDlo } from './convert-dlo.ts';
import { doctor } from './doctor.ts';
import { compose } from './compose.ts';
import { meta } from './meta.ts';
import { tempurl } from './tempurl.ts';
import { cp, mv } from './cp.ts';

export const commands: Command[] = [info, ls, stat, upload, download, inspect, verify, rm, orphans, convertDlo, doctor, compose, meta, tempurl, cp, mv];
