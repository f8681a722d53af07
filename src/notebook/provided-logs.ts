import { TEACHING_DATA } from './teaching-data/index.ts';

/**
 * The sample logs the app serves itself (from `public/`), by the path a notebook names them with.
 * A test checks this list against `public/samples/`.
 */
export const BUNDLED_SAMPLES: readonly string[] = ['samples/shop-events.csv', 'samples/online-retail.csv.gz'];

const GENERATED = 'generated:';

/**
 * Why a log named by a notebook's front matter or a share link is not one the app provides, or
 * undefined when it is: a bundled sample (`samples/shop-events.csv`) or a teaching log generated
 * from its seed (`generated:growth-lies`). Anything else (a URL, another path) is never fetched:
 * a notebook from someone else could otherwise make the page request any address and read the
 * answer as the person's events.
 *
 * @example
 * providedLogProblem('samples/shop-events.csv'); // undefined
 * providedLogProblem('https://example.com/x.csv'); // 'this notebook asks for "https://example.com/x.csv", ...'
 */
export function providedLogProblem(file: string): string | undefined {
  if (BUNDLED_SAMPLES.includes(file)) return undefined;
  if (file.startsWith(GENERATED) && Object.hasOwn(TEACHING_DATA, file.slice(GENERATED.length))) return undefined;
  const known = [...BUNDLED_SAMPLES, ...Object.keys(TEACHING_DATA).map((name) => `${GENERATED}${name}`)].join(', ');
  return `this notebook asks for ${JSON.stringify(file.length > 120 ? `${file.slice(0, 120)}…` : file)}, which is not a log cohortbook provides (${known}), so it was not fetched: open the file yourself if you want it`;
}
