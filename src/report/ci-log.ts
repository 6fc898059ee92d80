import type { RunEvent } from '../model/events.js';
import { describeProblem, hostProblem, PROBLEM_TITLES } from './host-outcome.js';
import { sanitizeLine, sanitizeText } from './text.js';

/** The CI systems whose logs the plain reporter folds and annotates. */
export type CiKind = 'github' | 'gitlab';

/** GitHub Actions sets GITHUB_ACTIONS=true; GitLab CI sets GITLAB_CI=true. */
export function detectCi(env: NodeJS.ProcessEnv = process.env): CiKind | undefined {
  if (env.GITHUB_ACTIONS === 'true') return 'github';
  if (env.GITLAB_CI !== undefined && env.GITLAB_CI !== '' && env.GITLAB_CI !== 'false') return 'gitlab';
  return undefined;
}

/** A workflow command's message, as GitHub's toolkit escapes it: % \r \n. */
export function escapeGithubData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value (title=…): the message's escapes plus : and ,. */
export function escapeGithubProperty(text: string): string {
  return escapeGithubData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const ERASE = '\u001b[0K';
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

/** Adds CI markup around the lines the plain reporter prints for one event. */
export type CiDecorator = (event: RunEvent, lines: string[]) => string[];

/**
 * Under GitHub Actions: each play in ::group::/::endgroup:: (titled with its PLAY line), and an
 * ::error:: annotation for each failed or unreachable host (with its reason) and each failed batch.
 * Under GitLab CI: each play in a collapsible section (section_start/section_end). A play that
 * stops early (a failed batch) has no play-end: its group ends at the next play or at the end.
 * `now` gives the time for GitLab's section markers (seconds since the epoch).
 */
export function createCiDecorator(kind: CiKind, now: () => number = () => Math.floor(Date.now() / 1000)): CiDecorator {
  let open: string | undefined;
  let sections = 0;
  const close = (): string[] => {
    if (open === undefined) return [];
    const name = open;
    open = undefined;
    return [kind === 'github' ? '::endgroup::' : `${ERASE}section_end:${now()}:${name}\r${ERASE}`];
  };
  const start = (title: string): string[] => {
    if (kind === 'github') {
      open = 'play';
      return [`::group::${escapeGithubData(title)}`];
    }
    sections++;
    open = `remedy_play_${sections}`;
    return [`${ERASE}section_start:${now()}:${open}[collapsed=true]\r${ERASE}${title}`];
  };
  const error = (title: string, message: string): string[] =>
    (kind === 'github' ? [`::error title=${escapeGithubProperty(title)}::${escapeGithubData(message)}`] : []);
  const warning = (title: string, message: string): string[] =>
    (kind === 'github' ? [`::warning title=${escapeGithubProperty(title)}::${escapeGithubData(message)}`] : []);
  return (event, lines) => {
    switch (event.type) {
      case 'play-start': {
        const [first = '', ...rest] = lines;
        return [...close(), ...start(kind === 'github' ? first.replace(SGR, '') : first), ...rest];
      }
      case 'play-end':
        return [...lines, ...close()];
      case 'batch-failed': {
        const message = lines.map((l) => l.replace(SGR, '')).join('\n');
        return [...lines, ...error(`remedy: batch ${event.batch} of play ${sanitizeLine(event.play)} failed`, message)];
      }
      case 'run-stopped':
        return [...close(), ...lines, ...error(`remedy: run stopped (${event.stop.reason})`, sanitizeText(`${event.stop.message}; not reached: ${event.notReached.join(', ')}`))];
      case 'host-end': {
        const problem = hostProblem(event.host);
        // Hosts not reached are in the run-stopped annotation: one per host could be hundreds.
        if (!problem || problem.kind === 'not-reached') return [...close(), ...lines];
        if (problem.kind === 'locked') return [...close(), ...lines, ...warning(`remedy: ${sanitizeLine(event.host.name)} locked`, sanitizeText(describeProblem(problem)))];
        const title = `remedy: ${sanitizeLine(event.host.name)} ${PROBLEM_TITLES[problem.kind]}`;
        return [...close(), ...lines, ...error(title, sanitizeText(describeProblem(problem)))];
      }
      case 'run-end':
        return [...close(), ...lines];
      default:
        return lines;
    }
  };
}
