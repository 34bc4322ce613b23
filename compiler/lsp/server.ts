/**
 * `machc lsp`: the language server, on standard input and output. The
 * protocol library is loaded only here; what it answers comes from
 * features.ts and the compiler, so editors see exactly what `machc check`,
 * `machc where` and `machc fmt` say.
 */
import { fileURLToPath } from 'node:url';
import { createConnection, TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompileResult } from '../driver.js';
import { compileWithLock } from '../cli/machine.js';
import { completions, definition, formatted, hover, LineMap, lspDiagnostics } from './features.js';

/** The file a document's URI names (a plain name for URIs that are not files). */
function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** Starts the server on the given streams; resolves when the client closes the connection. */
export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const connection: Connection = createConnection(input, output);
  const documents = new TextDocuments(TextDocument);
  const results = new Map<string, { version: number; result: CompileResult }>();

  const compile = (doc: TextDocument): CompileResult => {
    const cached = results.get(doc.uri);
    if (cached?.version === doc.version) return cached.result;
    // As `machc check` compiles it: with its lockfile, looking at the disk images.
    const result = compileWithLock(pathOf(doc.uri), { useLock: true, checkImages: true, text: doc.getText() });
    results.set(doc.uri, { version: doc.version, result });
    return result;
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Full,
      completionProvider: { triggerCharacters: [':', ' '] },
      hoverProvider: true,
      definitionProvider: true,
      documentFormattingProvider: true,
    },
    serverInfo: { name: 'machc' },
  }));

  documents.onDidChangeContent(({ document }) => {
    const result = compile(document);
    void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: lspDiagnostics(result, document.getText(), document.uri) as never });
  });
  documents.onDidClose(({ document }) => {
    results.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onCompletion(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    return doc ? completions(doc.getText(), doc.offsetAt(position)).map((c) => ({ ...c, kind: c.kind as never })) : [];
  });
  connection.onHover(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    const text = doc ? hover(doc.getText(), doc.offsetAt(position), compile(doc)) : undefined;
    return text ? { contents: { kind: 'markdown', value: text } } : null;
  });
  connection.onDefinition(({ textDocument, position }) => {
    const doc = documents.get(textDocument.uri);
    const at = doc ? definition(doc.getText(), doc.offsetAt(position)) : undefined;
    if (!doc || !at) return null;
    return { uri: doc.uri, range: new LineMap(doc.getText()).range(at.offset, at.length) };
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const doc = documents.get(textDocument.uri);
    const text = doc ? formatted(pathOf(doc.uri), doc.getText()) : undefined;
    if (!doc || text === undefined) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(doc.getText().length) }, newText: text }];
  });

  documents.listen(connection);
  return new Promise((resolve) => {
    connection.onExit(() => resolve());
    connection.listen();
  });
}
