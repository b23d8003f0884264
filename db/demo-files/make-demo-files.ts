/**
 * Makes the demo case file's PDFs and video (db/demo-case-file.ts) — run once by a developer,
 * and the results are committed; the demo loader only copies them. Needs Debian's Chromium and
 * ffmpeg (both installed by `npm run setup`).
 *
 *   node db/demo-files/make-demo-files.ts
 *
 * Every page carries its volume and sheet in large type in the top-right corner, where the court
 * stamps sheet numbers, so the hall display visibly shows "Том 2, лист 5" from across the room.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { DEMO_FILES_DIR, DEMO_VOLUMES, type DemoDocument } from '../demo-case-file.ts';

/** The text of each document, paragraph by paragraph; pages take it in turn. */
const TEXTS: Record<string, string[]> = {
  d1: [
    'Уголовное дело № 261500031000457 по обвинению Иванова Петра Сергеевича, 14 марта 1999 года рождения, уроженца г. Алматы, гражданина Республики Казахстан, ранее не судимого, в совершении уголовного правонарушения, предусмотренного пунктом 3 части 2 статьи 188 Уголовного кодекса Республики Казахстан.',
    'Досудебным расследованием установлено: 13 августа 2026 года около 23 часов Иванов П. С., действуя умышленно, из корыстных побуждений, путём повреждения запорного устройства входной двери незаконно проник в квартиру № 17 дома № 45 по улице Толе би г. Алматы, откуда тайно похитил имущество, принадлежащее Касымовой А. Н.',
    'Похищено: ноутбук марки Lenovo стоимостью 310 000 тенге, золотые серьги стоимостью 145 000 тенге, денежные средства в сумме 60 000 тенге. Всего на общую сумму 515 000 тенге, чем потерпевшей причинён значительный ущерб.',
    'Допрошенный в качестве подозреваемого Иванов П. С. вину признал частично, пояснив, что дверь квартиры была открыта. Его показания опровергаются протоколом осмотра места происшествия (т. 1, л. 5–10) и заключением эксперта № 1487 (т. 2, л. 1–8).',
    'Свидетель Петров А. В. показал, что около 23 часов видел мужчину, выходившего из подъезда с сумкой для ноутбука (т. 2, л. 9–12). На видеозаписи допроса свидетель опознал Иванова П. С.',
    'Доказательства, на которые ссылается сторона обвинения: протокол осмотра места происшествия; постановление о признании потерпевшей; заключение трасологической экспертизы; протокол допроса свидетеля с видеозаписью.',
    'Действия Иванова П. С. квалифицированы по п. 3 ч. 2 ст. 188 УК РК — кража, совершённая с незаконным проникновением в жилище.',
    'Обстоятельств, смягчающих и отягчающих уголовную ответственность, не установлено. Мера пресечения — подписка о невыезде и надлежащем поведении.',
  ],
  d2: [
    'г. Алматы, 14 августа 2026 года. Осмотр начат в 01 час 20 минут, окончен в 03 часа 05 минут.',
    'Следователь с участием специалиста-криминалиста и потерпевшей Касымовой А. Н. произвёл осмотр квартиры № 17 дома № 45 по улице Толе би.',
    'Входная дверь металлическая. Личинка замка имеет следы воздействия постороннего предмета: на лицевой поверхности обнаружены царапины длиной от 3 до 8 мм. Личинка изъята и упакована в конверт № 1.',
    'В прихожей на полу обнаружен след обуви размером 43 с рисунком протектора в виде ромбов. След сфотографирован по правилам масштабной съёмки и изъят на дактилоплёнку (конверт № 2).',
    'В жилой комнате открыты дверцы шкафа, вещи разбросаны. Со слов потерпевшей, со стола пропал ноутбук, из шкатулки — золотые серьги, из ящика комода — денежные средства.',
    'На поверхности шкатулки обнаружены следы пальцев рук, изъятые на три отрезка липкой ленты (конверт № 3).',
    'К протоколу прилагаются фототаблица на 12 листах и схема места происшествия.',
    'Замечаний и дополнений от участвующих лиц не поступило. Протокол прочитан вслух, записано верно.',
  ],
  d3: [
    'Следователь, рассмотрев материалы уголовного дела № 261500031000457, установил, что преступлением гражданке Касымовой Алие Нурлановне причинён имущественный вред на сумму 515 000 тенге.',
    'Руководствуясь статьёй 71 УПК РК, постановил: признать Касымову Алию Нурлановну, 25 июня 1987 года рождения, потерпевшей по уголовному делу и разъяснить ей права и обязанности потерпевшей.',
    'Права потерпевшей разъяснены. Ходатайств не заявлено.',
  ],
  d4: [
    'Заключение эксперта № 1487 (трасологическая и дактилоскопическая экспертиза). Экспертиза назначена постановлением следователя от 16 августа 2026 года.',
    'На исследование представлены: личинка замка (конверт № 1), след обуви на дактилоплёнке (конверт № 2), три отрезка липкой ленты со следами пальцев рук (конверт № 3), образцы отпечатков пальцев рук Иванова П. С.',
    'Вопрос 1. Имеются ли на личинке замка следы взлома, и каким предметом они оставлены?',
    'Исследование показало: на лицевой поверхности личинки имеются следы скольжения и давления, образованные плоским металлическим предметом шириной рабочей части около 3 мм, например отвёрткой.',
    'Вопрос 2. Пригодны ли следы пальцев рук для идентификации личности, и не оставлены ли они Ивановым П. С.?',
    'Следы на отрезках № 1 и № 3 пригодны для идентификации. След на отрезке № 1 оставлен большим пальцем правой руки Иванова П. С. Совпадают 14 частных признаков строения папиллярного узора.',
    'Вопрос 3. Пригоден ли след обуви для установления групповой принадлежности?',
    'След обуви пригоден для установления групповой принадлежности: оставлен подошвой обуви 43 размера с рисунком протектора в виде ромбов.',
    'Выводы: 1) личинка замка вскрыта плоским металлическим предметом; 2) след пальца руки на отрезке № 1 оставлен Ивановым П. С.; 3) след обуви оставлен обувью 43 размера.',
    'Эксперт предупреждён об уголовной ответственности за дачу заведомо ложного заключения по статье 420 УК РК.',
  ],
  d5: [
    'г. Алматы, 20 августа 2026 года. Допрос начат в 10 часов 00 минут, окончен в 10 часов 50 минут. Применялась видеозапись.',
    'Свидетель Петров Андрей Викторович, 1 января 1991 года рождения, об уголовной ответственности по статьям 420 и 421 УК РК предупреждён.',
    'По существу показал: 13 августа 2026 года около 23 часов я возвращался домой по улице Толе би. У подъезда дома № 45 я увидел мужчину, который быстро вышел из подъезда с чёрной сумкой для ноутбука.',
    'Мужчина был одет в тёмную куртку с капюшоном, рост около 180 см. Он прошёл мимо меня под фонарём, и я хорошо разглядел его лицо.',
    'Предъявленную мне фотографию Иванова П. С. я опознаю как фотографию того мужчины. Опознаю его по форме лица, бровям и шраму над левой бровью.',
    'Протокол мною прочитан, с моих слов записано верно. Замечаний не имею.',
  ],
};

const PAGE_CSS = `
  @page { size: A4; margin: 0; }
  body { margin: 0; font-family: 'DejaVu Serif', 'Liberation Serif', serif; color: #111; }
  .sheet { position: relative; width: 210mm; height: 297mm; padding: 46mm 20mm 20mm 25mm; box-sizing: border-box; page-break-after: always; }
  .sheet:last-child { page-break-after: auto; }
  .stamp { position: absolute; top: 10mm; right: 12mm; padding: 3mm 5mm; border: 1.2mm solid #14365f; border-radius: 2mm; color: #14365f; font: 700 20pt 'DejaVu Sans', sans-serif; text-align: center; line-height: 1.15; }
  .stamp small { display: block; font-size: 11pt; font-weight: 400; }
  .court { font: 10pt 'DejaVu Sans', sans-serif; color: #444; margin: 0 0 6mm; }
  h1 { font-size: 17pt; text-align: center; margin: 10mm 0 3mm; }
  .meta { text-align: center; font-size: 10.5pt; color: #333; margin: 0 0 8mm; }
  p { font-size: 12.5pt; line-height: 1.55; text-align: justify; margin: 0 0 4mm; text-indent: 10mm; }
  .foot { position: absolute; bottom: 12mm; left: 25mm; right: 20mm; font: 9.5pt 'DejaVu Sans', sans-serif; color: #555; display: flex; justify-content: space-between; border-top: 0.3mm solid #999; padding-top: 2mm; }
`;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function documentHtml(volume: number, document: DemoDocument): string {
  const pages = document.pages!;
  const paragraphs = TEXTS[document.sourceId];
  const perPage = Math.max(2, Math.ceil(paragraphs.length / pages));
  const sheets = Array.from({ length: pages }, (_, i) => {
    const sheet = document.sheetFrom! + i;
    // Later pages repeat the text: a scan of a long document, the sheet stamp tells them apart.
    const body = Array.from({ length: perPage }, (__, k) => paragraphs[(i * perPage + k) % paragraphs.length]);
    return `<section class="sheet">
      <div class="stamp">Том ${volume}<br>Лист ${sheet}<small>Том ${volume} · ${sheet}-парақ</small></div>
      <p class="court">Уголовное дело № 261500031000457 · Специализированный межрайонный суд по уголовным делам г. Алматы</p>
      ${i === 0 ? `<h1>${escape(document.title)}</h1><p class="meta">${escape(document.date)} · ${escape(document.author)}</p>` : `<h1>${escape(document.title)} (продолжение)</h1>`}
      ${body.map((p) => `<p>${escape(p)}</p>`).join('\n')}
      <div class="foot"><span>${escape(document.title)}</span><span>стр. ${i + 1} из ${pages} · бет ${i + 1} / ${pages}</span></div>
    </section>`;
  });
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><style>${PAGE_CSS}</style></head><body>${sheets.join('\n')}</body></html>`;
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  for (const volume of DEMO_VOLUMES) {
    for (const document of volume.documents) {
      const target = path.join(DEMO_FILES_DIR, document.file);
      if (document.kind === 'media') {
        // A title card, a few seconds long: the demo's video of the interrogation.
        execFileSync('ffmpeg', [
          '-y', '-loglevel', 'error',
          '-f', 'lavfi', '-i', `color=c=0x14365f:s=640x360:d=${document.durationSec}:r=10`,
          '-vf', "drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='Видеозапись допроса свидетеля':fontcolor=white:fontsize=26:x=(w-text_w)/2:y=(h-text_h)/2-20,drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text='20.08.2026  %{pts\\:hms}':fontcolor=white:fontsize=20:x=(w-text_w)/2:y=(h/2)+30",
          '-c:v', 'libvpx', '-b:v', '120k', '-an', target,
        ]);
      } else {
        await page.setContent(documentHtml(volume.number, document));
        await page.pdf({ path: target, format: 'A4', printBackground: true, preferCSSPageSize: true });
      }
      console.log(`${document.file}: ${fs.statSync(target).size} bytes`);
    }
  }
} finally {
  await browser.close();
}
