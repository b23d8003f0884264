import Database from 'better-sqlite3';
const db = new Database('/tmp/acts100k/data/ezal.sqlite');
const t = (label: string, f: () => unknown) => { const s = performance.now(); let r; for (let i = 0; i < 3; i++) r = f(); console.log(label, ((performance.now() - s) / 3).toFixed(1), 'ms', JSON.stringify(r).slice(0, 80)); };
const m = '"краж"*';
t('bare count', () => db.prepare('select count(*) n from acts_text where acts_text match ?').get(`body : (${m})`));
t('bare first 20 desc', () => db.prepare('select rowid from acts_text where acts_text match ? order by rowid desc limit 20').all(`body : (${m})`).length);
t('bare 1001 desc', () => db.prepare('select count(*) from (select rowid from acts_text where acts_text match ? order by rowid desc limit 1001)').get(`body : (${m})`));
t('exact term', () => db.prepare('select count(*) n from acts_text where acts_text match ?').get(`body : "кражу"`));
const ent = `(a.case_id in (select case_id from case_staff where user_id = :uid) or a.case_id in (select case_id from case_participants where user_id = :uid) or a.court_id = :wide)`;
const q1 = `select f.rowid as k from acts_text f join judicial_acts a on a.text_key = f.rowid where acts_text match :m and not ${ent} order by f.rowid desc limit 20`;
console.log(db.prepare('explain query plan ' + q1).all({ m: `public_body : (${m})`, uid: 'bench-judge-0', wide: '' }).map((r: any) => r.detail).join('\n'));
t('public arm 20', () => db.prepare(q1).all({ m: `public_body : (${m})`, uid: 'bench-judge-0', wide: '' }).length);
const hits = (paged: boolean) => `
    select k, entitled from (
      select f.rowid as k, 1 as entitled from acts_text f join judicial_acts a on a.text_key = f.rowid
      where acts_text match :bodyMatch and ${ent}
      union all
      select f.rowid as k, 0 as entitled from acts_text f join judicial_acts a on a.text_key = f.rowid
      where acts_text match :publicMatch and not ${ent}
    ) order by k desc ${paged ? 'limit 20' : ''}`;
const p = { bodyMatch: `body : (${m})`, publicMatch: `public_body : (${m})`, uid: 'bench-judge-0', wide: '' };
console.log(db.prepare('explain query plan ' + hits(true)).all(p).map((r: any) => r.detail).join('\n'));
t('union page', () => db.prepare(hits(true)).all(p).length);
t('union count', () => db.prepare(`select count(*) as n from (${hits(false)} limit 1001)`).get(p));
t('snippet x20', () => { const s = db.prepare(`select snippet(acts_text, 1, char(1), char(2), '…', 20) as s from acts_text where acts_text match ? and rowid = ?`); for (let k = 1; k <= 20; k++) s.get(p.publicMatch, 50000 + k); return 1; });
