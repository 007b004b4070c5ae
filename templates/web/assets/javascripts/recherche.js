// The readers' search, on the search page (recherche/) only: Pagefind's search and the index chunks
// for the words typed are fetched from here, never by another page (bulletin/search.py).
// ?q= in the address searches at once (the header's form opens this page so). The French sentences
// are in the page (data-* attributes of #sr-search-etat, from templates/bulletin/recherche.html).

// The French elisions bulletin/search.py splits in the index (ELIDED there): « l’installation »
// is indexed as « l’ installation », so a query is split the same way, and the space taken out of
// what is shown.
const ELIDED = "(?:jusqu|lorsqu|puisqu|quoiqu|presqu|quelqu|qu|[ldjmnstc])['’]"
const IN_QUERY = new RegExp(`(^|[^\\p{L}])(${ELIDED})(?=\\p{L})`, "giu")
const IN_TEXT = new RegExp(`(^|[^\\p{L}])(${ELIDED}) `, "giu")
// Words too common to search for when the query has others (as lunr's French stop words did): every
// page has them, and Pagefind would choose its excerpts for them.
const COMMON = new Set(["de", "du", "des", "la", "le", "les", "un", "une", "et", "à", "au", "aux", "en", "pour",
                        "par", "sur", "dans", "avec"])
// Results shown at once: each one shown fetches its page's text (a few KB) for its excerpt, so the
// next ones come with the "more" button.
const SHOWN = 10
const SECTIONS = 3         // links to an issue's sections under its result

const form = document.querySelector(".sr-search__form")
const field = document.getElementById("sr-search-q")
const status = document.getElementById("sr-search-etat")
const list = document.getElementById("sr-search-resultats")
const more = document.getElementById("sr-search-plus")
// The site's root, from this file's address (assets/javascripts/): the site may be served under a path.
const bundle = new URL("../../pagefind/pagefind.js", import.meta.url).href

let pagefind = null
let latest = 0
let found = null       // the results of the last search, and how many of them are shown
let shown = 0
let words = ""

const say = (key, values = {}) => {
  status.textContent = status.dataset[key].replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "")
}
const unsplit = text => text.replace(IN_TEXT, "$1$2")

// An excerpt is text with <mark> around the words found: built as text nodes and <mark> elements,
// never parsed as HTML.
function excerpt(html) {
  const p = document.createElement("p")
  const parts = unsplit(html).split(/<\/?mark>/)
  const decode = document.createElement("textarea")
  parts.forEach((part, i) => {
    decode.innerHTML = part   // a <textarea> reads entities (&amp;) and runs nothing
    const text = document.createTextNode(decode.value)
    if (i % 2) {
      const mark = document.createElement("mark")
      mark.append(text)
      p.append(mark)
    } else {
      p.append(text)
    }
  })
  return p
}

function link(href, text) {
  const a = document.createElement("a")
  a.href = href
  a.textContent = unsplit(text)
  return a
}

function item(data) {
  const li = document.createElement("li")
  const title = document.createElement("h2")
  title.append(link(data.url, data.meta.title || data.url))
  li.append(title, excerpt(data.excerpt))
  const sections = data.sub_results.filter(s => s.anchor && s.url !== data.url).slice(0, SECTIONS)
  if (sections.length) {
    const label = document.createElement("p")
    label.className = "sr-search__dans"
    label.textContent = list.dataset.sections
    const inner = document.createElement("ul")
    for (const section of sections) {
      const entry = document.createElement("li")
      entry.append(link(section.url, section.title))
      inner.append(entry)
    }
    li.append(label, inner)
  }
  return li
}

async function search(typed) {
  const query = typed.trim()
  const mine = ++latest
  list.replaceChildren()
  more.hidden = true
  if (!query) {
    status.textContent = ""
    return
  }
  say("chargement", {mots: query})
  try {
    pagefind ??= await import(bundle)
  } catch {
    say("indisponible")
    return
  }
  const terms = query.replace(IN_QUERY, "$1").split(/\s+/).filter(Boolean)
  const telling = terms.filter(term => !COMMON.has(term.toLowerCase()))
  const results = await pagefind.search((telling.length ? telling : terms).join(" "))
  if (mine !== latest) return   // the reader has searched again since
  found = results
  shown = 0
  words = query
  await showMore(mine)
}

async function showMore(mine) {
  const next = await Promise.all(found.results.slice(shown, shown + SHOWN).map(r => r.data()))
  if (mine !== latest) return
  const items = next.map(item)
  list.append(...items)
  shown += items.length
  const n = found.results.length
  say(n === 0 ? "aucun" : n === 1 ? "un" : n > shown ? "premiers" : "plusieurs",
      {mots: words, n: n.toLocaleString(document.documentElement.lang || "fr"), premiers: shown})
  more.hidden = n <= shown
  more.textContent = more.dataset.texte.replace("{n}", Math.min(SHOWN, n - shown))
  return items
}

more.addEventListener("click", async () => {
  const items = await showMore(latest)
  items?.[0]?.querySelector("a").focus()   // the reader goes on reading where the new results start
})

form.addEventListener("submit", event => {
  event.preventDefault()
  const url = new URL(location.href)
  url.searchParams.set("q", field.value)
  history.replaceState(null, "", url)
  search(field.value)
})

const asked = new URLSearchParams(location.search).get("q")
if (asked !== null) field.value = asked
field.focus()
if (asked) search(asked)
