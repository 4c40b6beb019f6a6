/**
 * A comparable model of the database schema, built two ways: from prisma/schema.prisma (through
 * Prisma's own parser, @prisma/prisma-schema-wasm) as Prisma Migrate would create it on Postgres,
 * and from a live Postgres database by introspection. The schema-drift test builds a database with
 * the hand-written migrations and requires the two to be equal.
 *
 * Covered: tables, columns (type, nullability, database default), primary keys, unique and normal
 * indexes (names, column order, DESC, access method, partial predicate), foreign keys (columns,
 * referenced table/columns, ON DELETE / ON UPDATE), enums (values in order), implicit many-to-many
 * join tables. Not covered, on purpose (Prisma Migrate does not model or diff these either, or
 * they carry no meaning for the client): column order, CHECK / EXCLUDE constraints, triggers,
 * views, functions, sequences other than the one behind a column default, index operator
 * classes, comments, grants, and the `_prisma_migrations` bookkeeping table.
 */
import { createRequire } from 'node:module';
import type pg from 'pg';

export interface ColumnShape {
  /** Postgres type as `format_type()` prints it (enums: the enum type name; lists: `<type>[]`). */
  type: string;
  nullable: boolean;
  /**
   * The database default, normalised: null (none), `autoincrement()` (a sequence, i.e. SERIAL),
   * `CURRENT_TIMESTAMP`, a literal (`'open'`, `1`, `false`, `'[]'`), or `<any>` on the schema side
   * when the schema asks for a default this model does not compare by value (dbgenerated(), lists,
   * DateTime and Bytes literals).
   */
  default: string | null;
}

export interface IndexShape {
  unique: boolean;
  /** Column names in index order, `<col> DESC` for descending ones, `<expression>` for expressions. */
  columns: string[];
  /** Access method: btree, hash, gin, gist, spgist, brin. */
  method: string;
  /** WHERE clause of a partial index (never produced by schema.prisma). */
  predicate: string | null;
}

export interface ForeignKeyShape {
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  /** CASCADE, RESTRICT, NO ACTION, SET NULL, SET DEFAULT */
  onDelete: string;
  onUpdate: string;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  primaryKey: { name: string; columns: string[] } | null;
  /** By index name: unique (`<table>_<cols>_key`) and normal (`<table>_<cols>_idx`) indexes, not the primary key's. */
  indexes: Record<string, IndexShape>;
  /** By constraint name (`<table>_<cols>_fkey`). */
  foreignKeys: Record<string, ForeignKeyShape>;
}

export interface SchemaShape {
  /** By table (database) name. */
  tables: Record<string, TableShape>;
  /** By enum type (database) name: values in order. */
  enums: Record<string, string[]>;
}

export const AUTOINCREMENT = 'autoincrement()';
export const ANY_DEFAULT = '<any>';
const IGNORED_TABLES = new Set(['_prisma_migrations']);
/** NAMEDATALEN - 1 */
const PG_MAX_IDENTIFIER = 63;

// ---------------------------------------------------------------------------------------------
// schema.prisma side
// ---------------------------------------------------------------------------------------------

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}

interface DmmfModel {
  name: string;
  dbName: string | null;
  schema?: string | null;
  fields: DmmfField[];
  primaryKey: { name: string | null; fields: string[] } | null;
}

interface DmmfEnum {
  name: string;
  dbName?: string | null;
  values: { name: string; dbName?: string | null }[];
}

interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  name?: string | null;
  algorithm?: string;
  fields: { name: string; sortOrder?: 'asc' | 'desc'; length?: number; operatorClass?: string }[];
}

interface Datamodel {
  models: DmmfModel[];
  enums: DmmfEnum[];
  indexes: DmmfIndex[];
}

const require = createRequire(import.meta.url);
const schemaWasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };

function parseDatamodel(schemaText: string): Datamodel {
  const dmmf = JSON.parse(schemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schemaText]] }))) as { datamodel: Datamodel };
  return dmmf.datamodel;
}

/** Removes `//` comments (including `///` doc comments), so that they cannot match the checks below. */
function withoutComments(schemaText: string): string {
  return schemaText.replace(/(^|\s)\/\/.*$/gm, '$1');
}

/**
 * Constructs the DMMF leaves out but Prisma Migrate still creates: rather than silently missing
 * them, refuse, so whoever adds one extends this model first.
 */
function assertSupported(schemaText: string): void {
  const text = withoutComments(schemaText);
  const unsupported: [RegExp, string][] = [
    [/\bUnsupported\s*\(/, 'Unsupported(...) fields'],
    [/@@?ignore\b/, '@ignore / @@ignore'],
    [/^\s*view\s+\w+\s*\{/m, 'views'],
    [/@@schema\s*\(/, 'multiple schemas (@@schema)'],
  ];
  for (const [pattern, what] of unsupported) {
    if (pattern.test(text)) throw new Error(`schema-model.ts does not model ${what}: the DMMF omits them, so extend the drift check before using them`);
  }
}

/** Prisma's default constraint names (psl ConstraintNames): truncated to fit Postgres' 63 bytes. */
function truncateBytes(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    out += char;
    bytes += size;
  }
  return out;
}

function constraintName(table: string, columns: string[] | null, suffix: string): string {
  const base = columns === null ? table : `${table}_${columns.join('_')}`;
  const limit = PG_MAX_IDENTIFIER - suffix.length;
  return `${Buffer.byteLength(base) >= limit ? truncateBytes(base, limit) : base}${suffix}`;
}

export const prismaNames = {
  primaryKey: (table: string) => constraintName(table, null, '_pkey'),
  unique: (table: string, columns: string[]) => constraintName(table, columns, '_key'),
  index: (table: string, columns: string[]) => constraintName(table, columns, '_idx'),
  foreignKey: (table: string, columns: string[]) => constraintName(table, columns, '_fkey'),
};

const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

/** A Postgres native type (`@db.X(args)`) as format_type() prints the column Prisma creates for it. */
function nativeType(name: string, args: string[]): string {
  const [first] = args;
  const precision = first === undefined ? '' : `(${first})`;
  switch (name) {
    case 'Text': return 'text';
    case 'Char': return `character(${first ?? 1})`;
    case 'VarChar': return `character varying${precision}`;
    case 'Bit': return `bit(${first ?? 1})`;
    case 'VarBit': return `bit varying${precision}`;
    case 'Uuid': return 'uuid';
    case 'Xml': return 'xml';
    case 'Inet': return 'inet';
    case 'Citext': return 'citext';
    case 'Boolean': return 'boolean';
    case 'Integer': return 'integer';
    case 'SmallInt': return 'smallint';
    case 'BigInt': return 'bigint';
    case 'Oid': return 'oid';
    case 'DoublePrecision': return 'double precision';
    case 'Real': return 'real';
    case 'Decimal': return args.length > 0 ? `numeric(${args.join(',')})` : 'numeric';
    case 'Money': return 'money';
    case 'Timestamp': return `timestamp${precision} without time zone`;
    case 'Timestamptz': return `timestamp${precision} with time zone`;
    case 'Time': return `time${precision} without time zone`;
    case 'Timetz': return `time${precision} with time zone`;
    case 'Date': return 'date';
    case 'Json': return 'json';
    case 'JsonB': return 'jsonb';
    case 'ByteA': return 'bytea';
    default: throw new Error(`schema-model.ts does not know the native type @db.${name}`);
  }
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** JSON text with object keys sorted, so that `{"b":1,"a":2}` and pg's `{"a": 2, "b": 1}` compare equal. */
function canonicalJson(text: string): string {
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sort((value as Record<string, unknown>)[key])]));
    }
    return value;
  };
  try {
    return JSON.stringify(sort(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** The database default Prisma Migrate gives a field, normalised like `normaliseDbDefault`. */
function expectedDefault(field: DmmfField, enums: Map<string, DmmfEnum>): string | null {
  if (!field.hasDefaultValue || field.default === undefined) return null;
  const value = field.default;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const fn = (value as { name: string }).name;
    switch (fn) {
      case 'autoincrement':
        return AUTOINCREMENT;
      case 'now':
        return 'CURRENT_TIMESTAMP';
      case 'dbgenerated':
        return ANY_DEFAULT;
      // Generated by Prisma Client, not by the database: no DEFAULT in the table.
      case 'uuid':
      case 'cuid':
      case 'nanoid':
      case 'ulid':
        return null;
      default:
        throw new Error(`schema-model.ts does not know @default(${fn}())`);
    }
  }
  if (field.isList) return ANY_DEFAULT;
  if (field.kind === 'enum') {
    const values = enums.get(field.type)?.values ?? [];
    const mapped = values.find((entry) => entry.name === value);
    return quoteLiteral(mapped?.dbName ?? String(value));
  }
  switch (field.type) {
    case 'String':
      return quoteLiteral(String(value));
    case 'Json':
      return quoteLiteral(canonicalJson(String(value)));
    case 'Int':
    case 'BigInt':
    case 'Float':
    case 'Decimal':
    case 'Boolean':
      return String(value);
    default:
      // DateTime and Bytes literals: Postgres rewrites them, so only their presence is compared.
      return ANY_DEFAULT;
  }
}

/** The FK constraint name given with `@relation(..., map: "name")`, which the DMMF does not carry. */
function relationMapName(schemaText: string, model: string, field: string): string | undefined {
  const text = withoutComments(schemaText);
  const start = new RegExp(`^\\s*model\\s+${model}\\s*\\{`, 'm').exec(text);
  if (!start) return undefined;
  const body = text.slice(start.index + start[0].length);
  const end = body.search(/^\s*\}/m);
  const line = (end >= 0 ? body.slice(0, end) : body).split('\n').find((candidate) => new RegExp(`^\\s*${field}\\s`).test(candidate));
  const relation = line?.slice(line.indexOf('@relation'));
  return relation ? /\bmap\s*:\s*"([^"]+)"/.exec(relation)?.[1] : undefined;
}

const REFERENTIAL_ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

function referentialAction(action: string): string {
  const sql = REFERENTIAL_ACTIONS[action];
  if (!sql) throw new Error(`schema-model.ts does not know the referential action ${action}`);
  return sql;
}

/** What Prisma Migrate would create on Postgres for this schema.prisma text. */
export function expectedSchema(schemaText: string): SchemaShape {
  assertSupported(schemaText);
  const datamodel = parseDatamodel(schemaText);
  const enums = new Map(datamodel.enums.map((entry) => [entry.name, entry]));
  const models = new Map(datamodel.models.map((model) => [model.name, model]));
  const tableName = (model: DmmfModel) => model.dbName ?? model.name;
  const columnName = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((candidate) => candidate.name === fieldName);
    if (!field) throw new Error(`field ${model.name}.${fieldName} not found in the DMMF`);
    return field.dbName ?? field.name;
  };
  const columnType = (field: DmmfField): string => {
    let base: string;
    if (field.kind === 'enum') {
      const entry = enums.get(field.type);
      base = entry?.dbName ?? field.type;
    } else if (field.nativeType) {
      base = nativeType(field.nativeType[0], field.nativeType[1]);
    } else {
      const scalar = SCALAR_TYPES[field.type];
      if (!scalar) throw new Error(`schema-model.ts does not know the scalar type ${field.type}`);
      base = scalar;
    }
    return field.isList ? `${base}[]` : base;
  };

  const shape: SchemaShape = { tables: {}, enums: {} };
  for (const entry of datamodel.enums) {
    shape.enums[entry.dbName ?? entry.name] = entry.values.map((value) => value.dbName ?? value.name);
  }

  for (const model of datamodel.models) {
    const table: TableShape = { columns: {}, primaryKey: null, indexes: {}, foreignKeys: {} };
    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      table.columns[field.dbName ?? field.name] = {
        type: columnType(field),
        // Scalar lists are created without NOT NULL.
        nullable: field.isList || !field.isRequired,
        default: expectedDefault(field, enums),
      };
    }
    shape.tables[tableName(model)] = table;
  }

  for (const index of datamodel.indexes) {
    const model = models.get(index.model);
    if (!model) throw new Error(`index on unknown model ${index.model}`);
    const name = tableName(model);
    const table = shape.tables[name] as TableShape;
    const columns = index.fields.map((field) => columnName(model, field.name));
    switch (index.type) {
      case 'id':
        table.primaryKey = { name: index.dbName ?? prismaNames.primaryKey(name), columns };
        break;
      case 'unique':
      case 'normal': {
        const unique = index.type === 'unique';
        const indexName = index.dbName ?? (unique ? prismaNames.unique(name, columns) : prismaNames.index(name, columns));
        table.indexes[indexName] = {
          unique,
          columns: index.fields.map((field, position) => (field.sortOrder === 'desc' ? `${columns[position]} DESC` : (columns[position] as string))),
          method: (index.algorithm ?? 'BTree').toLowerCase(),
          predicate: null,
        };
        break;
      }
      default:
        throw new Error(`schema-model.ts does not know ${index.type} indexes (Postgres has none)`);
    }
  }

  const manyToMany = new Set<string>();
  for (const model of datamodel.models) {
    const name = tableName(model);
    for (const field of model.fields) {
      if (field.kind !== 'object') continue;
      const target = models.get(field.type);
      if (!target) throw new Error(`relation ${model.name}.${field.name} to unknown model ${field.type}`);
      const from = field.relationFromFields ?? [];
      if (from.length > 0) {
        // The side holding the foreign key.
        const columns = from.map((fieldName) => columnName(model, fieldName));
        const required = field.isRequired || from.some((fieldName) => model.fields.find((candidate) => candidate.name === fieldName)?.isRequired);
        const fkName = relationMapName(schemaText, model.name, field.name) ?? prismaNames.foreignKey(name, columns);
        (shape.tables[name] as TableShape).foreignKeys[fkName] = {
          columns,
          referencedTable: tableName(target),
          referencedColumns: (field.relationToFields ?? []).map((fieldName) => columnName(target, fieldName)),
          onDelete: referentialAction(field.relationOnDelete ?? (required ? 'Restrict' : 'SetNull')),
          onUpdate: referentialAction(field.relationOnUpdate ?? 'Cascade'),
        };
        continue;
      }
      const back = target.fields.find((candidate) => candidate.kind === 'object' && candidate.relationName === field.relationName && (candidate !== field));
      if (!field.isList || !back?.isList || !field.relationName || manyToMany.has(field.relationName)) continue;
      // Implicit many-to-many: Prisma's join table `_<relation>` with columns A and B.
      manyToMany.add(field.relationName);
      const [modelA, modelB] = [model, target].sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0)) as [DmmfModel, DmmfModel];
      const idOf = (side: DmmfModel) => {
        const id = side.fields.find((candidate) => candidate.isId);
        if (!id) throw new Error(`implicit many-to-many needs a single-field @id on ${side.name}`);
        return id;
      };
      const join = `_${field.relationName}`;
      const idA = idOf(modelA);
      const idB = idOf(modelB);
      shape.tables[join] = {
        columns: {
          A: { type: columnType({ ...idA, isList: false }), nullable: false, default: null },
          B: { type: columnType({ ...idB, isList: false }), nullable: false, default: null },
        },
        primaryKey: { name: `${join}_AB_pkey`, columns: ['A', 'B'] },
        indexes: { [`${join}_B_index`]: { unique: false, columns: ['B'], method: 'btree', predicate: null } },
        foreignKeys: {
          [`${join}_A_fkey`]: { columns: ['A'], referencedTable: tableName(modelA), referencedColumns: [idA.dbName ?? idA.name], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
          [`${join}_B_fkey`]: { columns: ['B'], referencedTable: tableName(modelB), referencedColumns: [idB.dbName ?? idB.name], onDelete: 'CASCADE', onUpdate: 'CASCADE' },
        },
      };
    }
  }
  return shape;
}

// ---------------------------------------------------------------------------------------------
// Postgres side
// ---------------------------------------------------------------------------------------------

const NUMERIC_TYPES = /^(integer|bigint|smallint|numeric(\(\d+(,\d+)?\))?|double precision|real)$/;
const PG_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/** pg_get_expr() of a column default, normalised to compare with `expectedDefault`. */
export function normaliseDbDefault(expression: string | null, type: string): string | null {
  if (expression === null) return null;
  const text = expression.trim();
  if (/^nextval\(/i.test(text)) return AUTOINCREMENT;
  if (/^(CURRENT_TIMESTAMP|now\(\))$/i.test(text)) return 'CURRENT_TIMESTAMP';
  const literal = /^('(?:[^']|'')*')(?:::[\w\s".()[\],]+)?$/.exec(text);
  if (literal) {
    const quoted = literal[1] as string;
    const inner = quoted.slice(1, -1).replace(/''/g, "'");
    // Postgres prints negative numbers as '-1'::integer.
    if (NUMERIC_TYPES.test(type) && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(inner)) return inner;
    if (type === 'jsonb' || type === 'json') return quoteLiteral(canonicalJson(inner));
    return quoted;
  }
  return text;
}

/** The schema of the database `client` is connected to (its current schema), `_prisma_migrations` left out. */
export async function actualSchema(client: pg.ClientBase): Promise<SchemaShape> {
  const shape: SchemaShape = { tables: {}, enums: {} };
  const tableOf = (name: string): TableShape => {
    let table = shape.tables[name];
    if (!table) {
      table = { columns: {}, primaryKey: null, indexes: {}, foreignKeys: {} };
      shape.tables[name] = table;
    }
    return table;
  };

  const tables = await client.query<{ name: string }>(`
    SELECT c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
    ORDER BY c.relname`);
  for (const row of tables.rows) if (!IGNORED_TABLES.has(row.name)) tableOf(row.name);

  const columns = await client.query<{ table_name: string; column_name: string; type: string; not_null: boolean; default_expr: string | null; identity: string; generated: string }>(`
    SELECT c.relname AS table_name, a.attname AS column_name, a.attnotnull AS not_null,
           a.attidentity AS identity, a.attgenerated AS generated,
           pg_get_expr(d.adbin, d.adrelid) AS default_expr,
           CASE WHEN t.typtype = 'e' THEN t.typname::text
                WHEN et.typtype = 'e' THEN et.typname::text || '[]'
                ELSE format_type(a.atttypid, a.atttypmod) END AS type
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`);
  for (const row of columns.rows) {
    if (IGNORED_TABLES.has(row.table_name)) continue;
    let columnDefault: string | null;
    if (row.generated) columnDefault = `GENERATED ALWAYS AS (${row.default_expr ?? ''}) STORED`;
    else if (row.identity) columnDefault = `GENERATED ${row.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY`;
    else columnDefault = normaliseDbDefault(row.default_expr, row.type);
    tableOf(row.table_name).columns[row.column_name] = { type: row.type, nullable: !row.not_null, default: columnDefault };
  }

  const primaryKeys = await client.query<{ table_name: string; name: string; columns: string[] }>(`
    SELECT c.relname AS table_name, con.conname AS name,
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND con.contype = 'p'`);
  for (const row of primaryKeys.rows) {
    if (IGNORED_TABLES.has(row.table_name)) continue;
    tableOf(row.table_name).primaryKey = { name: row.name, columns: row.columns };
  }

  const indexes = await client.query<{ table_name: string; name: string; unique: boolean; method: string; predicate: string | null; columns: (string | null)[]; descending: boolean[] }>(`
    SELECT t.relname AS table_name, ic.relname AS name, i.indisunique AS unique, am.amname AS method,
           pg_get_expr(i.indpred, i.indrelid) AS predicate,
           ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
                 WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns,
           ARRAY(SELECT (o.option & 1) = 1 FROM unnest(i.indoption::int2[]) WITH ORDINALITY AS o(option, ord)
                 WHERE o.ord <= i.indnkeyatts ORDER BY o.ord) AS descending
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_am am ON am.oid = ic.relam
    WHERE n.nspname = current_schema() AND NOT i.indisprimary`);
  for (const row of indexes.rows) {
    if (IGNORED_TABLES.has(row.table_name)) continue;
    tableOf(row.table_name).indexes[row.name] = {
      unique: row.unique,
      columns: row.columns.map((column, position) => `${column ?? '<expression>'}${row.descending[position] ? ' DESC' : ''}`),
      method: row.method,
      predicate: row.predicate,
    };
  }

  const foreignKeys = await client.query<{ table_name: string; name: string; referenced_table: string; columns: string[]; referenced_columns: string[]; on_delete: string; on_update: string }>(`
    SELECT c.relname AS table_name, con.conname AS name, rc.relname AS referenced_table,
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
           ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns,
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
    FROM pg_constraint con
    JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class rc ON rc.oid = con.confrelid
    WHERE n.nspname = current_schema() AND con.contype = 'f'`);
  for (const row of foreignKeys.rows) {
    if (IGNORED_TABLES.has(row.table_name)) continue;
    tableOf(row.table_name).foreignKeys[row.name] = {
      columns: row.columns,
      referencedTable: row.referenced_table,
      referencedColumns: row.referenced_columns,
      onDelete: PG_ACTIONS[row.on_delete] ?? row.on_delete,
      onUpdate: PG_ACTIONS[row.on_update] ?? row.on_update,
    };
  }

  const enums = await client.query<{ name: string; values: string[] }>(`
    SELECT t.typname::text AS name,
           ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS values
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema() AND t.typtype = 'e'`);
  for (const row of enums.rows) shape.enums[row.name] = row.values;

  return shape;
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

const EXPECTED = 'schema.prisma';
const ACTUAL = 'migrations';

function list(values: string[]): string {
  return `(${values.join(', ')})`;
}

function sameList(left: string[], right: string[]): boolean {
  return left.length === right.length && left.every((value, position) => value === right[position]);
}

function describeDefault(value: string | null): string {
  if (value === null) return 'none';
  if (value === ANY_DEFAULT) return 'a default';
  return value;
}

/** Compares names present on either side; calls `both` for names on both. */
function compareKeys<T>(expected: Record<string, T>, actual: Record<string, T>, what: (name: string) => string, both: (name: string, expected: T, actual: T) => void, out: string[]): void {
  for (const name of Object.keys(expected).sort()) {
    const found = actual[name];
    if (found === undefined) out.push(`${what(name)} missing from ${ACTUAL}`);
    else both(name, expected[name] as T, found);
  }
  for (const name of Object.keys(actual).sort()) {
    if (!(name in expected)) out.push(`${what(name)} exists in ${ACTUAL} but not in ${EXPECTED}`);
  }
}

/**
 * Human-readable differences between what schema.prisma describes (`expected`) and what the
 * migrations built (`actual`); empty when they agree.
 */
export function diffSchemas(expected: SchemaShape, actual: SchemaShape): string[] {
  const out: string[] = [];

  compareKeys(expected.enums, actual.enums, (name) => `enum ${name}`, (name, want, have) => {
    if (!sameList(want, have)) out.push(`enum ${name}: expected values ${list(want)}, found ${list(have)}`);
  }, out);

  compareKeys(expected.tables, actual.tables, (name) => `table ${name}`, (tableName, want, have) => {
    compareKeys(want.columns, have.columns, (name) => `column ${tableName}.${name}`, (name, wantColumn, haveColumn) => {
      const column = `column ${tableName}.${name}`;
      if (wantColumn.type !== haveColumn.type) out.push(`${column}: expected type ${wantColumn.type}, found ${haveColumn.type}`);
      if (wantColumn.nullable !== haveColumn.nullable) {
        out.push(`${column}: expected ${wantColumn.nullable ? 'nullable' : 'NOT NULL'}, found ${haveColumn.nullable ? 'nullable' : 'NOT NULL'}`);
      }
      const defaultMatches = wantColumn.default === ANY_DEFAULT ? haveColumn.default !== null : wantColumn.default === haveColumn.default;
      if (!defaultMatches) out.push(`${column}: expected default ${describeDefault(wantColumn.default)}, found ${describeDefault(haveColumn.default)}`);
    }, out);

    const wantPk = want.primaryKey;
    const havePk = have.primaryKey;
    const describePk = (pk: TableShape['primaryKey']) => (pk ? `${pk.name} ${list(pk.columns)}` : 'none');
    if (wantPk?.name !== havePk?.name || !sameList(wantPk?.columns ?? [], havePk?.columns ?? [])) {
      out.push(`primary key of ${tableName}: expected ${describePk(wantPk)}, found ${describePk(havePk)}`);
    }

    compareKeys(want.indexes, have.indexes, (name) => `index ${name}`, (name, wantIndex, haveIndex) => {
      const index = `index ${name}`;
      if (wantIndex.unique !== haveIndex.unique) out.push(`${index}: expected ${wantIndex.unique ? 'unique' : 'non-unique'}, found ${haveIndex.unique ? 'unique' : 'non-unique'}`);
      if (!sameList(wantIndex.columns, haveIndex.columns)) out.push(`${index}: expected columns ${list(wantIndex.columns)}, found ${list(haveIndex.columns)}`);
      if (wantIndex.method !== haveIndex.method) out.push(`${index}: expected method ${wantIndex.method}, found ${haveIndex.method}`);
      if (wantIndex.predicate !== haveIndex.predicate) {
        out.push(`${index}: expected ${wantIndex.predicate === null ? 'no WHERE clause' : `WHERE ${wantIndex.predicate}`}, found ${haveIndex.predicate === null ? 'no WHERE clause' : `WHERE ${haveIndex.predicate}`}`);
      }
    }, out);

    compareKeys(want.foreignKeys, have.foreignKeys, (name) => `foreign key ${name}`, (name, wantFk, haveFk) => {
      const fk = `foreign key ${name}`;
      if (!sameList(wantFk.columns, haveFk.columns)) out.push(`${fk}: expected columns ${list(wantFk.columns)}, found ${list(haveFk.columns)}`);
      const wantRef = `${wantFk.referencedTable}${list(wantFk.referencedColumns)}`;
      const haveRef = `${haveFk.referencedTable}${list(haveFk.referencedColumns)}`;
      if (wantRef !== haveRef) out.push(`${fk}: expected to reference ${wantRef}, found ${haveRef}`);
      if (wantFk.onDelete !== haveFk.onDelete) out.push(`${fk}: expected ON DELETE ${wantFk.onDelete}, found ${haveFk.onDelete}`);
      if (wantFk.onUpdate !== haveFk.onUpdate) out.push(`${fk}: expected ON UPDATE ${wantFk.onUpdate}, found ${haveFk.onUpdate}`);
    }, out);
  }, out);

  return out;
}
