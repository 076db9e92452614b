import { nanoid } from 'nanoid'

/** Makes unguessable identifiers (interactions, codes, sessions, jti). */
export type IdGenerator = (size?: number) => string

/** 32 url-safe characters: 192 bits of randomness */
export const randomId: IdGenerator = (size = 32) => nanoid(size)
