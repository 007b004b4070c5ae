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
const SHOWN = 20           // results shown at once: each one shown fetches its excerpt
const SECTIONS = 3         // links to an issue's sections under its result

const form = document.querySelector(".sr-search__form")
const field = document.getElementById("sr-search-q")
const status = document.getElementById("sr-search-etat")
const list = document.getElementById("sr-search-resultats")
// The site's root, from this file's address (assets/javascripts/): the site may be served under a path.
const bundle = new URL("../../pagefind/pagefind.js", import.meta.url).href

let pagefind = null
let latest = 0

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

async function search(words) {
  const query = words.trim()
  const mine = ++latest
  list.replaceChildren()
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
  const found = await pagefind.search((telling.length ? telling : terms).join(" "))
  const shown = await Promise.all(found.results.slice(0, SHOWN).map(r => r.data()))
  if (mine !== latest) return   // the reader has typed more since
  list.replaceChildren(...shown.map(item))
  const n = found.results.length
  say(n === 0 ? "aucun" : n === 1 ? "un" : n > SHOWN ? "premiers" : "plusieurs",
      {mots: query, n: n.toLocaleString("fr-FR"), premiers: SHOWN})
}

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
