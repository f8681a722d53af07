// Made by bench/chromium.ts at build time: imports the benchmark's case files.
declare module 'virtual:bench-cases' {}
