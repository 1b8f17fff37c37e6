// Time zones as an owner names them: a city («Москва», «Екатеринбург», "Berlin") or an IANA name.
// The bot stores IANA names; the owner never has to know them.

/** Cities the owner is likely to type in Russian (and the names they go by), to their IANA zone. */
const RU_CITIES: Record<string, string> = {
  москва: "Europe/Moscow",
  мск: "Europe/Moscow",
  "санкт-петербург": "Europe/Moscow",
  петербург: "Europe/Moscow",
  спб: "Europe/Moscow",
  питер: "Europe/Moscow",
  "нижний новгород": "Europe/Moscow",
  казань: "Europe/Moscow",
  "ростов-на-дону": "Europe/Moscow",
  краснодар: "Europe/Moscow",
  сочи: "Europe/Moscow",
  воронеж: "Europe/Moscow",
  минск: "Europe/Minsk",
  калининград: "Europe/Kaliningrad",
  самара: "Europe/Samara",
  ижевск: "Europe/Samara",
  саратов: "Europe/Saratov",
  ульяновск: "Europe/Ulyanovsk",
  астрахань: "Europe/Astrakhan",
  волгоград: "Europe/Volgograd",
  киров: "Europe/Kirov",
  екатеринбург: "Asia/Yekaterinburg",
  екб: "Asia/Yekaterinburg",
  пермь: "Asia/Yekaterinburg",
  челябинск: "Asia/Yekaterinburg",
  уфа: "Asia/Yekaterinburg",
  тюмень: "Asia/Yekaterinburg",
  омск: "Asia/Omsk",
  новосибирск: "Asia/Novosibirsk",
  томск: "Asia/Tomsk",
  барнаул: "Asia/Barnaul",
  красноярск: "Asia/Krasnoyarsk",
  иркутск: "Asia/Irkutsk",
  чита: "Asia/Chita",
  якутск: "Asia/Yakutsk",
  владивосток: "Asia/Vladivostok",
  хабаровск: "Asia/Vladivostok",
  магадан: "Asia/Magadan",
  "южно-сахалинск": "Asia/Sakhalin",
  "петропавловск-камчатский": "Asia/Kamchatka",
  алматы: "Asia/Almaty",
  астана: "Asia/Almaty",
  ташкент: "Asia/Tashkent",
  бишкек: "Asia/Bishkek",
  тбилиси: "Asia/Tbilisi",
  ереван: "Asia/Yerevan",
  баку: "Asia/Baku",
  киев: "Europe/Kyiv",
  кишинёв: "Europe/Chisinau",
  рига: "Europe/Riga",
  вильнюс: "Europe/Vilnius",
  таллин: "Europe/Tallinn",
  варшава: "Europe/Warsaw",
  прага: "Europe/Prague",
  берлин: "Europe/Berlin",
  париж: "Europe/Paris",
  рим: "Europe/Rome",
  мадрид: "Europe/Madrid",
  лондон: "Europe/London",
  стамбул: "Europe/Istanbul",
  дубай: "Asia/Dubai",
  бангкок: "Asia/Bangkok",
  пекин: "Asia/Shanghai",
  шанхай: "Asia/Shanghai",
  токио: "Asia/Tokyo",
  сеул: "Asia/Seoul",
  "нью-йорк": "America/New_York",
  "лос-анджелес": "America/Los_Angeles",
};

/** The Russian name shown for a zone: the first city above that maps to it. */
const ZONE_LABEL = new Map<string, string>();
for (const [city, zone] of Object.entries(RU_CITIES)) {
  if (!ZONE_LABEL.has(zone) && city.length > 3)
    ZONE_LABEL.set(
      zone,
      city.replace(/(^|[\s-])(\p{L})/gu, (_m, p: string, l: string) => p + l.toUpperCase()),
    );
}

const norm = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[\s_]+/g, " ")
    .replace(/^г\.\s*/u, "")
    .replace(/\s*-\s*/g, "-");

const RU = new Map(Object.entries(RU_CITIES).map(([k, v]) => [norm(k), v]));

/** IANA zones by their city part and by their full name, lower-cased ("berlin", "europe/berlin"). */
let iana: Map<string, string> | undefined;
function ianaIndex(): Map<string, string> {
  if (iana) return iana;
  iana = new Map();
  for (const z of Intl.supportedValuesOf("timeZone")) {
    iana.set(z.toLowerCase(), z);
    const city = z.split("/").at(-1);
    if (city && !iana.has(norm(city))) iana.set(norm(city), z);
  }
  return iana;
}

function valid(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The IANA zone for what the owner typed: «Москва», «г. Екатеринбург», "Berlin", "new york",
 * "Europe/Moscow", "UTC". Undefined when it names no zone.
 */
export function resolveTimeZone(raw: string): string | undefined {
  const s = raw.trim();
  if (s === "") return undefined;
  const key = norm(s);
  const ru = RU.get(key);
  if (ru) return ru;
  const byName = ianaIndex().get(s.toLowerCase()) ?? ianaIndex().get(key);
  if (byName) return byName;
  if (/^utc$|^gmt$/i.test(s)) return "UTC";
  return /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(s) && valid(s) ? s : undefined;
}

/** «Москва» for a zone the table knows, else the zone itself. */
export function timeZoneLabel(zone: string): string {
  const city = ZONE_LABEL.get(zone);
  return city ? city : zone;
}
