/**
 * ASL Reference Paths (the restricted JSONPath that Wait states use in SecondsPath and
 * TimestampPath): `$` or `$$` followed by `.field`, `['field']` or `[index]` steps, no wildcards,
 * filters or slices. Parsed once when a definition is registered; resolved per execution.
 */
export interface ReferencePath {
  /** `$` reads the state's input, `$$` the context object. */
  root: '$' | '$$';
  steps: (string | number)[];
  text: string;
}

const STEP = /\.([^.[\]'\s]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+)\]/y;

export function parseReferencePath(text: string): ReferencePath {
  const root = text.startsWith('$$') ? '$$' : text.startsWith('$') ? '$' : undefined;
  if (!root) throw new SyntaxError(`'${text}' is not a reference path: it must start with $ or $$`);
  const steps: (string | number)[] = [];
  STEP.lastIndex = root.length;
  while (STEP.lastIndex < text.length) {
    const start = STEP.lastIndex;
    const match = STEP.exec(text);
    if (!match) throw new SyntaxError(`'${text}' is not a reference path (at character ${start}): only .field, ['field'] and [index] steps are allowed`);
    const [, dotted, quoted, index] = match;
    if (dotted !== undefined) steps.push(dotted);
    else if (quoted !== undefined) steps.push(quoted.replace(/\\(.)/g, '$1'));
    else steps.push(Number(index));
  }
  return { root, steps, text };
}

/** The value the path points to, or `undefined` when it points to nothing. */
export function resolveReferencePath(path: ReferencePath, input: unknown, context: unknown): unknown {
  let value = path.root === '$' ? input : context;
  for (const step of path.steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(value)) return undefined;
      value = value[step];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, step)) return undefined;
      value = (value as Record<string, unknown>)[step];
    }
  }
  return value;
}
