// The notebook layer: notebook model, file format, reactive runtime, storage, sharing, data sources.
export { DataSources, type DataSource } from './data-sources.ts';
export { createEngineHost, type EngineHost } from './engine-host.ts';
export {
  saveNotebook, loadNotebook, deleteNotebook, listNotebooks, saveDataFile, loadDataFile,
  type StoredNotebook, type NotebookListing,
} from './storage.ts';
