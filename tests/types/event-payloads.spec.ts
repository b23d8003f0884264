/**
 * The legal record follows the event types: the protocol builder reads each event's payload through
 * the `HearingEvent` union, so renaming a payload field in its feature makes the type check fail
 * where the protocol reads it — rather than leaving the protocol silently without the line.
 *
 * Runs the TypeScript compiler over the protocol builder twice: as the code stands (no errors),
 * and with one field of `protocol.note_added` renamed in the feature's declaration (errors in
 * protocol-build.ts). Nothing is written to disk: the renamed declaration is served from memory.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '../..');
const builder = path.join(root, 'server/src/protocol/protocol-build.ts');
const feature = path.join(root, 'server/src/shared/hearing/protocol/protocol.ts');

function options(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
}

/** The type errors in protocol-build.ts, with `edit` applied to the feature's source first. */
function builderErrors(edit: (source: string) => string): string[] {
  const compilerOptions = options();
  const host = ts.createCompilerHost(compilerOptions);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (path.resolve(file) === feature ? edit(readFile(file)!) : readFile(file));
  const program = ts.createProgram([builder], compilerOptions, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && path.resolve(d.file.fileName) === builder)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('renaming a field of an event payload breaks the type check in the protocol builder', { timeout: 120_000 }, () => {
  assert.deepEqual(
    builderErrors((source) => source),
    [],
    'the builder type-checks as it stands',
  );

  const declaration = "{ type: 'protocol.note_added'; payload: { noteId: string; text: string;";
  const renamed = (source: string) => {
    assert.ok(source.includes(declaration), 'the declaration to rename is where the test expects it');
    return source.replace(declaration, "{ type: 'protocol.note_added'; payload: { noteId: string; wording: string;");
  };
  const errors = builderErrors(renamed);
  assert.ok(
    errors.some((e) => e.includes("'text'")),
    `the builder no longer finds the note's text:\n${errors.join('\n')}`,
  );
});
