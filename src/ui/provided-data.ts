import { TEACHING_DATA, providedLogProblem, type NotebookDataRef } from '../notebook/index.ts';

/** The sample event log opened on a first visit, served by the app itself. */
export const SAMPLE_FILE = 'samples/shop-events.csv';

const GENERATED = 'generated:';

/**
 * The file name a log the app provides loads under: a served sample's own name, or the name of
 * the file a teaching generator makes. Undefined for anything the app does not provide.
 *
 * @example
 * providedFileName({ file: 'samples/shop-events.csv', mapping: {} }); // 'shop-events.csv'
 */
export function providedFileName(ref: NotebookDataRef): string | undefined {
  if (providedLogProblem(ref.file)) return undefined;
  return ref.file.startsWith(GENERATED) ? TEACHING_DATA[ref.file.slice(GENERATED.length)]?.file : ref.file.split('/').pop();
}

/**
 * A log the app provides, as a file: a sample it serves (fetched from the app itself), or a
 * teaching log generated from its seed. Anything else a notebook or a link names is refused with
 * a message and never fetched. `generating` is told before a generator runs, which can take a
 * moment.
 *
 * @example
 * const file = await providedFile({ file: 'generated:growth-lies', mapping: {} }, (name) => { status = `Generating ${name}…`; });
 */
export async function providedFile(ref: NotebookDataRef, generating: (name: string) => void): Promise<File> {
  const problem = providedLogProblem(ref.file);
  if (problem) throw new Error(problem);
  if (ref.file.startsWith(GENERATED)) {
    const generator = TEACHING_DATA[ref.file.slice(GENERATED.length)];
    generating(generator.file);
    // let the page show that before the generator holds the thread
    await new Promise((resolve) => setTimeout(resolve, 0));
    return new File([generator.generate()], generator.file);
  }
  const response = await fetch(new URL(ref.file, location.href));
  if (!response.ok) throw new Error(`the sample log ${ref.file} could not be read (${response.status})`);
  return new File([await response.arrayBuffer()], providedFileName(ref)!);
}
