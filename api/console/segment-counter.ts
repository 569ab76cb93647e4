import { countSegments } from '../../domain/sms-segments';

/** Server-rendered first reading of a counter; the inline script below keeps it live while typing. */
export function segmentText(text: string): string {
  const { encoding, segments, characters } = countSegments(text);
  return describe(encoding, characters, segments);
}

function describe(encoding: string, characters: number, segments: number): string {
  const limits = encoding === 'GSM-7' ? '160 single / 153 per part' : '70 single / 67 per part';
  return `${encoding} · ${characters} characters · ${segments} ${segments === 1 ? 'segment' : 'segments'} (${limits}) · before placeholders are filled`;
}

/**
 * Client-side twin of domain/sms-segments (Twilio's calculator): GSM-7 when every character is in the
 * GSM 03.38 basic or extension table (extension characters take two septets and are not split across
 * parts), else UCS-2 counted in UTF-16 units without splitting surrogate pairs. Khmer is always UCS-2.
 * A string, not a serialised function: the bundler's helpers must not leak into the page.
 */
export const SEGMENT_COUNTER_SCRIPT = `(() => {
  const BASIC = "@\\u00a3$\\u00a5\\u00e8\\u00e9\\u00f9\\u00ec\\u00f2\\u00c7\\n\\u00d8\\u00f8\\r\\u00c5\\u00e5\\u0394_\\u03a6\\u0393\\u039b\\u03a9\\u03a0\\u03a8\\u03a3\\u0398\\u039e\\u00c6\\u00e6\\u00df\\u00c9 !\\"#\\u00a4%&'()*+,-./0123456789:;<=>?\\u00a1ABCDEFGHIJKLMNOPQRSTUVWXYZ\\u00c4\\u00d6\\u00d1\\u00dc\\u00a7\\u00bfabcdefghijklmnopqrstuvwxyz\\u00e4\\u00f6\\u00f1\\u00fc\\u00e0";
  const EXT = "\\f^{}\\\\[~]|\\u20ac";
  const pack = (sizes, single, perPart) => {
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total === 0) return { total, segments: 0 };
    if (total <= single) return { total, segments: 1 };
    let segments = 1, used = 0;
    for (const s of sizes) {
      if (used + s > perPart) { segments += 1; used = 0; }
      used += s;
    }
    return { total, segments };
  };
  const count = (text) => {
    const chars = Array.from(text);
    const gsm = chars.every((ch) => BASIC.includes(ch) || EXT.includes(ch));
    if (gsm) {
      const r = pack(chars.map((ch) => (EXT.includes(ch) ? 2 : 1)), 160, 153);
      return { encoding: "GSM-7", characters: r.total, segments: r.segments };
    }
    const r = pack(chars.map((ch) => ch.length), 70, 67);
    return { encoding: "UCS-2", characters: r.total, segments: r.segments };
  };
  const describe = (c) => c.encoding + " \\u00b7 " + c.characters + " characters \\u00b7 " + c.segments +
    (c.segments === 1 ? " segment" : " segments") + " (" +
    (c.encoding === "GSM-7" ? "160 single / 153 per part" : "70 single / 67 per part") +
    ") \\u00b7 before placeholders are filled";
  for (const area of document.querySelectorAll("textarea[data-sms-counter]")) {
    const out = document.getElementById(area.getAttribute("data-sms-counter"));
    if (!out) continue;
    const update = () => {
      const c = count(area.value);
      out.textContent = describe(c);
      out.setAttribute("data-encoding", c.encoding);
      out.setAttribute("data-segments", String(c.segments));
    };
    area.addEventListener("input", update);
    update();
  }
})();`;
