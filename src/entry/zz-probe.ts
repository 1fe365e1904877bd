import { object, pipe, optional, string, transform, number, minLength } from 'zod/mini'
export const s = object({ a: pipe(optional(string()), transform((v) => v)), c: optional(number()), d: string().check(minLength(1)) })
