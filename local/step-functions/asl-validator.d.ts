// asl-validator 4 ships no type declarations; this is the part of its API the local runtime uses.
declare module 'asl-validator' {
  interface ValidationError {
    'Error code': string;
    Message: string;
  }
  interface ValidationOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  /** Validates an ASL definition. Note: it sets `QueryLanguage` on every state of the object it is given. */
  function aslValidator(
    definition: unknown,
    options?: ValidationOptions,
  ): { isValid: boolean; errors: ValidationError[]; errorsText(separator?: string): string };
  export = aslValidator;
}
