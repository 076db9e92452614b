// A tiny element builder. Text always goes in as text nodes, so nothing from a response can become markup.

type Child = Node | string | number | null | undefined | false
type Attrs = Record<string, string | boolean | undefined | ((event: Event) => void)>

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value)
    else if (value === true) element.setAttribute(name, '')
    else if (typeof value === 'string') element.setAttribute(name, value)
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return element
}

export interface Link {
  label: string
  url: string
}

/** A link to a spec section; opens in a new tab so the flow in this one is not lost. */
export const specLink = (link: Link) => h('a', { href: link.url, target: '_blank', rel: 'noopener noreferrer', class: 'spec' }, link.label)

/** A code block. */
export const pre = (text: string, attrs: Attrs = {}) => h('pre', attrs, h('code', {}, text))

/** A pass/fail line; data-check and data-ok let tests (and curious readers of the DOM) find it. */
export const check = (name: string, ok: boolean, text: string) =>
  h('li', { class: ok ? 'ok' : 'fail', 'data-check': name, 'data-ok': String(ok) }, h('span', { class: 'mark', 'aria-hidden': 'true' }, ok ? '✓' : '✗'), ' ', text)

/** A short neutral note in a check list (a check that does not apply, with why). */
export const note = (name: string, text: string) =>
  h('li', { class: 'skip', 'data-check': name, 'data-ok': 'skipped' }, h('span', { class: 'mark', 'aria-hidden': 'true' }, '–'), ' ', text)
