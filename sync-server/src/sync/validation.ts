import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FieldError } from '../../../shared/sync/errors';

const ajv = new Ajv({ strict: false, allErrors: true });

/** Compiles an RxDB JSON schema for the server (RxDB's own keywords are ignored). */
export function compileSchema(schema: object): ValidateFunction {
  return ajv.compile(schema);
}

function fieldOf(e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required')
    return [path, (e.params as { missingProperty: string }).missingProperty].filter(Boolean).join('.');
  if (e.keyword === 'additionalProperties')
    return [path, (e.params as { additionalProperty: string }).additionalProperty].filter(Boolean).join('.');
  return path || '(document)';
}

function messageOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return 'Ce champ est obligatoire.';
    case 'additionalProperties':
      return 'Ce champ n’existe pas dans ce type de document.';
    case 'type':
      return `Type attendu : ${translateType(String(p.type))}.`;
    case 'maxLength':
      return `Ce texte ne doit pas dépasser ${p.limit} caractères.`;
    case 'minLength':
      return `Ce texte doit compter au moins ${p.limit} caractères.`;
    case 'enum':
      return 'Cette valeur ne fait pas partie des choix possibles.';
    case 'maximum':
      return `La valeur ne doit pas dépasser ${p.limit}.`;
    case 'minimum':
      return `La valeur doit être au moins ${p.limit}.`;
    case 'maxItems':
      return `Pas plus de ${p.limit} éléments.`;
    case 'uniqueItems':
      return 'Les éléments doivent être distincts.';
    case 'pattern':
      return 'Le format n’est pas valide.';
    default:
      return 'Valeur non valide.';
  }
}

function translateType(t: string): string {
  return (
    {
      string: 'texte',
      number: 'nombre',
      integer: 'nombre entier',
      boolean: 'oui/non',
      array: 'liste',
      object: 'objet',
    }[t] ?? t
  );
}

export function validationErrors(validate: ValidateFunction, doc: unknown): FieldError[] {
  if (validate(doc)) return [];
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of validate.errors ?? []) {
    const f = { field: fieldOf(e), message: messageOf(e) };
    const key = `${f.field}|${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
    if (out.length >= 50) break;
  }
  return out;
}
