/**
 * The languages the court appoints interpreters between (ISO 639 codes; `sgn` is sign language),
 * with their names in the three interface languages. The protocol (server/src/protocol) and the
 * workstations name a language from here. Pure: shared by the server and the browser.
 */
export const INTERPRETATION_LANGUAGES = ['kk', 'ru', 'en', 'uz', 'ky', 'tg', 'tr', 'zh', 'de', 'fr', 'ar', 'az', 'uk', 'ko', 'ug', 'sgn'] as const;
export type InterpretationLanguage = (typeof INTERPRETATION_LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<'kk' | 'ru' | 'en', Record<InterpretationLanguage, string>> = {
  kk: {
    kk: 'қазақ',
    ru: 'орыс',
    en: 'ағылшын',
    uz: 'өзбек',
    ky: 'қырғыз',
    tg: 'тәжік',
    tr: 'түрік',
    zh: 'қытай',
    de: 'неміс',
    fr: 'француз',
    ar: 'араб',
    az: 'әзербайжан',
    uk: 'украин',
    ko: 'корей',
    ug: 'ұйғыр',
    sgn: 'ымдау',
  },
  ru: {
    kk: 'казахский',
    ru: 'русский',
    en: 'английский',
    uz: 'узбекский',
    ky: 'кыргызский',
    tg: 'таджикский',
    tr: 'турецкий',
    zh: 'китайский',
    de: 'немецкий',
    fr: 'французский',
    ar: 'арабский',
    az: 'азербайджанский',
    uk: 'украинский',
    ko: 'корейский',
    ug: 'уйгурский',
    sgn: 'жестовый',
  },
  en: {
    kk: 'Kazakh',
    ru: 'Russian',
    en: 'English',
    uz: 'Uzbek',
    ky: 'Kyrgyz',
    tg: 'Tajik',
    tr: 'Turkish',
    zh: 'Chinese',
    de: 'German',
    fr: 'French',
    ar: 'Arabic',
    az: 'Azerbaijani',
    uk: 'Ukrainian',
    ko: 'Korean',
    ug: 'Uyghur',
    sgn: 'sign language',
  },
};
