import type { ResponseModeName } from '../context.js'
import { formPostMode } from './form-post.js'
import { fragmentMode } from './fragment.js'
import { queryMode } from './query.js'
import type { ResponseMode } from './types.js'
import { webMessageMode } from './web-message.js'

export type { AuthorizeReply, ResponseMode } from './types.js'

export const responseModes: Record<ResponseModeName, ResponseMode> = {
  query: queryMode,
  fragment: fragmentMode,
  form_post: formPostMode,
  web_message: webMessageMode,
}
