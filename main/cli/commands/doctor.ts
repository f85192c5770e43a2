// `slo doctor <container>/<object> [--fix] [--yes] [--drop-missing]`: explains, entry by entry, what is wrong with an
// object that is (or was meant to be) an SLO, and with --fix rewrites it as a valid SLO from the segments that exist.
import { ask } from '../ask.ts';
import type { DoctorReport, Finding } from '../../../app/domain/findings.ts';
import { diagnose, fixObject } from '../../../app/slo/doctor.ts';
import type { Command, CommandContext } from '../context.ts';
import { formatBytes } from '../format.ts';
import { objectTarget } from './target.ts';

const MARK = { error: '✗ error  ', warning: '! warning', info: '· info   ' } as const;

/** The --json shape of one finding: always all five keys. */
export function findingJson(f: Finding): { severity: Finding['severity']; code: string; index: number | null; message: string; suggestion: string | null } {
  return { severity: f.severity, code: f.code, index: f.index, message: f.message, suggestion: f.suggestion ?? null };
}

function wrap(text: string, indent: string, width = 100): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && (indent + line + ' ' + w).length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** What a finding's action is on the command line, for the object `target` ("container/object"). */
function actionCommand(f: Finding, target: string | undefined): string | undefined {
  if (!target || !f.action) return undefined;
  if (f.action === 'doctor-fix') return `slo doctor ${target} --fix`;
  if (f.action === 'doctor-fix-drop-missing') return `slo doctor ${target} --fix --drop-missing`;
  return typeof f.old === 'string' ? `slo compose <container>/<object> --prefix ${f.old}` : undefined;
}

/** Findings grouped: the object as a whole first, then entry by entry. `target` names the object in command hints. */
export function formatFindings(findings: readonly Finding[], target?: string): string[] {
  const out: string[] = [];
  let group: number | null | undefined;
  for (const f of findings) {
    if (f.index !== group) {
      group = f.index;
      out.push('', f.index === null ? 'The object:' : `Entry ${f.index}:`);
    }
    const prefix = `Entry ${f.index}: `;
    const text = f.index !== null && f.message.startsWith(prefix) ? f.message.slice(prefix.length) : f.message;
    const [first, ...rest] = wrap(text, '', 88);
    out.push(`  ${MARK[f.severity]} [${f.code}] ${first ?? ''}`);
    for (const l of rest) out.push(`              ${l}`);
    const command = actionCommand(f, target);
    const advice = [f.suggestion, command && `Run \`${command}\`.`].filter(Boolean).join(' ');
    if (advice) out.push(...wrap(`→ ${advice}`, '              ', 102));
  }
  return out;
}

function header(r: DoctorReport): string {
  const kind = r.size === null ? 'does not exist' : r.isSlo ? `Static Large Object, ${r.size < 1024 ? `${r.size} bytes` : formatBytes(r.size)}` : r.kind === 'dlo' ? `Dynamic Large Object` : `plain object, ${r.size} bytes`;
  return `Doctor: ${r.container}/${r.object} (${kind})`;
}

function showProposal(ctx: CommandContext, r: DoctorReport): void {
  if (!r.manifest) return;
  ctx.out('');
  ctx.out(`Proposed manifest (${r.manifest.length} entries, ${r.fixPlan?.size ?? '?'} bytes, SLO ETag ${r.fixPlan?.etag ?? '?'}):`);
  ctx.out(JSON.stringify(r.manifest, null, 2));
  if (r.fixPlan?.steps.length) {
    ctx.out('Changes:');
    for (const s of r.fixPlan.steps) ctx.out(`  ${s.message}`);
  }
}

export const doctor: Command = {
  name: 'doctor',
  args: '<container>/<object>',
  summary: 'explain what is wrong with an SLO or a would-be manifest, entry by entry; --fix rewrites it correctly',
  flags: {
    fix: { type: 'boolean', description: 'build a correct manifest from the segments that exist and (after confirmation) replace the object with it' },
    yes: { type: 'boolean', alias: 'y', description: 'with --fix: write without asking' },
    'drop-missing': { type: 'boolean', description: 'with --fix: leave out entries whose segment cannot be found instead of refusing' },
  },
  async run(ctx) {
    const { container, object } = objectTarget(ctx.positionals[0], 'doctor');
    if (ctx.positionals.length > 1) ctx.err(`slo doctor: ignoring extra arguments: ${ctx.positionals.slice(1).join(' ')}`);
    const client = await ctx.client();
    const dropMissing = ctx.flags['drop-missing'] === true;
    const errorsIn = (r: DoctorReport) => r.findings.some((f) => f.severity === 'error');

    if (!ctx.flags.fix) {
      const r = await diagnose(client, container, object, { signal: ctx.signal, dropMissing });
      if (ctx.json) {
        ctx.out(JSON.stringify({ kind: r.kind, isSlo: r.isSlo, findings: r.findings.map(findingJson) }, null, 2));
      } else {
        ctx.out(header(r));
        ctx.out(formatFindings(r.findings, `${r.container}/${r.object}`).join('\n'));
        if (r.manifest && errorsIn(r)) ctx.out(`\nA fix is possible: run \`slo doctor ${container}/${object} --fix\` to see the corrected manifest.`);
        ctx.out('');
        ctx.out(`Verdict: ${r.summary}`);
        if (r.fixBlocked?.dropMissingHelps) ctx.out(`To leave those entries out: \`slo doctor ${container}/${object} --fix --drop-missing\`.`);
      }
      return errorsIn(r) ? 1 : 0;
    }

    // --fix: diagnose, show, confirm (--yes, or y/N on a terminal), write.
    const interactive = !ctx.flags.yes && !ctx.json && ctx.tty && process.stdin.isTTY === true;
    const result = await fixObject(client, container, object, {
      signal: ctx.signal,
      dropMissing,
      confirm: ctx.flags.yes === true || interactive,
      approve: async (r) => {
        if (ctx.json) return true;
        ctx.out(header(r));
        ctx.out(formatFindings(r.findings, `${r.container}/${r.object}`).join('\n'));
        showProposal(ctx, r);
        ctx.out('');
        if (!interactive) return true;
        return ask(`Replace ${container}/${object} with this manifest? [y/N] `);
      },
    });
    const r = result.report;
    const shown = !ctx.json && (result.replaced || (interactive && !!r.manifest));
    if (ctx.json) {
      ctx.out(JSON.stringify({
        kind: r.kind,
        isSlo: r.isSlo,
        findings: r.findings.map(findingJson),
        fix: {
          replaced: result.replaced,
          manifest: result.manifest,
          ...(result.etag ? { etag: result.etag } : {}),
          ...(r.fixPlan ? { predictedEtag: r.fixPlan.etag, size: r.fixPlan.size, changes: r.fixPlan.steps.map((s) => s.message) } : {}),
          message: result.message,
        },
      }, null, 2));
    } else {
      if (!shown) {
        ctx.out(header(r));
        ctx.out(formatFindings(r.findings, `${r.container}/${r.object}`).join('\n'));
        showProposal(ctx, r);
        ctx.out('');
      }
      if (result.replaced) ctx.out(`Fixed: ${result.message}`);
      else if (r.manifest && errorsIn(r)) ctx.out(`Not written: ${result.message}${interactive ? '' : ' Rerun with --yes to write it.'}`);
      else ctx.out(`Verdict: ${result.message}`);
    }
    if (result.replaced) return 0;
    return errorsIn(r) ? 1 : 0;
  },
};
