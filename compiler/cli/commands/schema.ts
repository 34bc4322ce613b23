/**
 * `machc schema [--path]`: the JSON Schema of machine files, for editors in
 * any repository. It prints the schema (save it beside your machine files and
 * point the YAML language server's modeline at it), or with --path where the
 * installed package keeps it (a stable path for editor settings).
 */
import { join } from 'node:path';
import schemaJson from '../../../schemas/machine.schema.json' with { type: 'json' };
import type { Io } from '../io.js';
import { PACKAGE_ROOT } from '../paths.js';

export interface SchemaOptions {
  path?: boolean;
}

export const SCHEMA_FILE = join(PACKAGE_ROOT, 'schemas', 'machine.schema.json');

export async function runSchema(io: Io, opts: SchemaOptions): Promise<number> {
  io.out(opts.path ? `${SCHEMA_FILE}\n` : `${JSON.stringify(schemaJson, null, 2)}\n`);
  return 0;
}
