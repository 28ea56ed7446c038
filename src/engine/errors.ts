// The one base class for a user's mistake — a bad file, option, layer string or dataset — as
// opposed to a bug. Its `message` is one line naming the file, the parameter and what was
// expected; the CLI prints it and exits 2, the extension shows it as is: never a stack trace.
// It lives in the engine, the lowest layer, so every layer's own error can extend it.
export class InputError extends Error {
  /** `file` and `param` locate the problem when there is one: "<file>: <param>: <detail>". */
  constructor(readonly detail: string, readonly file?: string, readonly param?: string) {
    super(`${file !== undefined ? `${file}: ` : ''}${param !== undefined ? `${param}: ` : ''}${detail}`);
    this.name = 'InputError';
  }
}

/** A data file (CSV) that does not hold what its use needs. */
export class DataFileError extends InputError {
  constructor(file: string, detail: string) { super(detail, file); this.name = 'DataFileError'; }
}
