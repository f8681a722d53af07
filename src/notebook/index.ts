// The notebook layer: notebook model, file format, reactive runtime, storage, sharing, data sources.
export { DataSources, type DataSource, type SourceChoices } from './data-sources.ts';
export { createEngineHost, NO_EVENTS_MESSAGE, type EngineHost } from './engine-host.ts';
export {
  saveNotebook, loadNotebook, deleteNotebook, listNotebooks, saveDataFile, loadDataFile, dataFileKey,
  type StoredNotebook, type StoredSource, type NotebookListing,
} from './storage.ts';
export { markdownRenderer } from './markdown.ts';
export { renderHtmlReport, escapeHtml, type Report, type ReportCell } from './html-report.ts';
export { encodeShareLink, decodeShareLink, MAX_LINK_DATA_BYTES, type SharedNotebook, type SharedData } from './share-link.ts';
export { TEACHING_DATA, GAME_WEEKS } from './teaching-data/index.ts';
export { createCell, type Cell, type CellKind, type CellFormat, type Notebook, type NotebookFormat } from './notebook.ts';
export { parseNotebook, writeNotebook, notebookTitle } from './format.ts';
export { parseFenceInfo, formatFenceInfo, type FenceInfo } from './fence-info.ts';
export { parseJsCell, CellSyntaxError, type JsCellCode } from './js-references.ts';
export { readsTable, sqlReferences, type SqlReferences } from './sql-references.ts';
export { isArqueroTable } from './run-sql-cell.ts';
export { analysisSpec } from './run-analysis-cell.ts';
export {
  NotebookRuntime, UNTRUSTED_MESSAGE, UNTRUSTED_CHECK_MESSAGE, isInputDisplay, isExerciseDisplay, type InputDisplay, type ExerciseDisplay,
  type RuntimeHost, type CellState, type CellStatus, type CellError, type AnalysisRunResult,
} from './runtime.ts';
export { buildReport, type ReportInput } from './report-cells.ts';
export {
  parseInputSpec, inputValue, withInputValue, describeInputValue, fileValue, optionsQuery, InputSpecError, INPUT_TYPES,
  type InputSpec, type InputType, type DateRange,
} from './input-spec.ts';
export { sqlTemplate, bindTemplate, resolveSpecValues, specReferences, type SqlTemplate, type TemplateReference } from './sql-template.ts';
export { notebookData, frontMatterValue, frontMatterFields, isOwnFile, savedImport, rememberImport, type NotebookDataRef } from './front-matter.ts';
export { BUNDLED_SAMPLES, providedLogProblem } from './provided-logs.ts';
export { parseExerciseSpec, ExerciseSpecError, ANSWER_KINDS, DEFAULT_TOLERANCE, type ExerciseSpec, type AnswerKind, type Tolerance } from './exercise-spec.ts';
export {
  expectedAnswer, judgeNumber, judgeChoice, judgeTable, judgeValue, parseNumberAnswer, verdictText, describeExpected, ExerciseCheckError,
  type Expected, type Verdict, type VerdictReason,
} from './exercise-check.ts';
export {
  loadProgress, saveExerciseProgress, progressKey, progressSummary, NO_PROGRESS, type ExerciseProgress, type NotebookProgress,
} from './exercise-progress.ts';
