// The parts of @observablehq/inputs the input cells use (the package ships no types).
declare module '@observablehq/inputs' {
  type Form = HTMLElement & { value: unknown };
  interface Common { label?: string; value?: unknown; disabled?: boolean; width?: number | string }
  export function select(options: readonly unknown[], config?: Common & { multiple?: boolean | number; format?: (value: unknown) => string }): Form;
  export function range(extent: [number, number], config?: Common & { step?: number }): Form;
  export function number(extent?: [number, number] | undefined, config?: Common & { step?: number; placeholder?: string }): Form;
  export function text(config?: Common & { placeholder?: string }): Form;
  export function toggle(config?: Common): Form;
  export function date(config?: Common & { min?: unknown; max?: unknown }): Form;
}
declare module '@observablehq/inputs/dist/index.css?inline' {
  const css: string;
  export default css;
}
