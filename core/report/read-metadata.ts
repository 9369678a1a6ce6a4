import type { Contact, ReportMetadata } from '../model/index.js';
import { checkMetadata } from './check-metadata.js';
import { foldText } from './normalize-label.js';

// Running text is folded (NFKC): 。→. ，→, ；→; （）→() before these patterns see it.
const TITLE_ISSUER_FIRST = /([\u4e00-\u9fff（）()]{2,40}?)(\d{4})年(?:度)?政府信息公开(?:工作)?年度报告/;
const TITLE_YEAR_FIRST = /(\d{4})年(?:度)?([\u4e00-\u9fff（）()]{2,40}?)政府信息公开(?:工作)?年度报告/;
const PERIOD = /(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?(?:至|到|-|~)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/;
const DATE = /(\d{4})年(\d{1,2})月(\d{1,2})日/g;
const DATE_ONE = /\d{4}年\d{1,2}月\d{1,2}日/;
const NOTICE = /国办公开办函\[(\d{4})\](\d+)号/;
const NOTICE_SHORT = /\[(2019|2021)\](60|30)号/;
const PROACTIVE = /主动公开[^.;\d]{0,24}?(\d[\d,]*)(余)?(?:条|个|件|项)/;
const CHANNEL =
  /(政府门户网站|门户网站|政府网站|政府网|政务新媒体|新媒体平台|微信公众号|政务微博|微博|公开栏|公示栏|宣传栏|LED显示屏|短信平台|微信群|广播)[^.;,\d]{0,16}?(\d[\d,]*)(?:余)?(?:条|次|个)/g;
const RECEIVED_N = /(?:共|全年|本年|累计)?收到[^.;\d]{0,16}?申请(\d[\d,]*)件/;
const RECEIVED_NONE = /(未收到|没有收到|未受理|没有受理)[^.;]{0,20}?(申请|依申请)/;
const NO_REVIEW = /(未发生|没有发生|无)[^.;]{0,12}?行政复议/;
/** Issuer names end with an administrative suffix; the short form in the title is kept as printed. */
const BODY_SUFFIX = /^[\u4e00-\u9fff]{3,30}(人民政府|办事处|委员会|局|办公室|镇|乡|街道|中心|厅)$/;

function iso(y: string, m: string, d: string): string {
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

function toInt(s: string): number {
  return Number(s.replace(/,/g, ''));
}

/** Report metadata from the page text (domain.md §2): title, period, dates, contact, narrative counts. */
export function readMetadata(rawText: string): ReportMetadata {
  const folded = foldText(rawText);
  // Lines break mid-sentence in PDFs, so running text is matched with all whitespace removed.
  const text = folded.replace(/\s+/g, '');
  const lines = folded
    .split('\n')
    .map((l) => l.replace(/\s+/g, ''))
    .filter((l) => l !== '');
  const head = lines.slice(0, 6).join('');
  let issuer: string | null = null;
  let reportYear: number | null = null;
  const a = TITLE_ISSUER_FIRST.exec(head);
  const b = TITLE_YEAR_FIRST.exec(head);
  if (a && (!b || a.index <= b.index) && !/^\d/.test(a[1] ?? '')) {
    issuer = a[1] ?? null;
    reportYear = Number(a[2]);
  } else if (b) {
    reportYear = Number(b[1]);
    issuer = b[2] ?? null;
  }
  if (issuer) issuer = issuer.replace(/^[《(（]/, '');
  const p = PERIOD.exec(text);
  const statPeriod = p
    ? { start: iso(p[1] ?? '', p[2] ?? '', p[3] ?? ''), end: iso(p[4] ?? p[1] ?? '', p[5] ?? '', p[6] ?? '') }
    : null;
  if (reportYear === null && p) reportYear = Number(p[1]);
  const tail = lines.slice(-4);
  let publicationDate: string | null = null;
  for (const line of tail) {
    const m = [...line.matchAll(DATE)].pop();
    if (m && line.length <= 16) publicationDate = iso(m[1] ?? '', m[2] ?? '', m[3] ?? '');
  }
  const signature = tail.filter((l) => BODY_SUFFIX.test(l) && !DATE_ONE.test(l)).pop();
  const notice = NOTICE.exec(text) ?? NOTICE_SHORT.exec(text);
  const formatNoticeCited = notice ? `国办公开办函〔${notice[1]}〕${notice[2]}号` : null;
  const pro = PROACTIVE.exec(text);
  const proactiveTotal = pro ? { value: toInt(pro[1] ?? '0'), approx: pro[2] === '余' } : null;
  const proactiveByChannel: Record<string, number> = {};
  // The channels follow in the total's sentence (其中…) or in the next one (通过政府网站发布…).
  const proRest = pro ? text.slice(pro.index) : '';
  const proSentence = sentences(proRest, 2);
  for (const m of proSentence.matchAll(CHANNEL)) {
    const channel = m[1] ?? '';
    proactiveByChannel[channel] = (proactiveByChannel[channel] ?? 0) + toInt(m[2] ?? '0');
  }
  const received = RECEIVED_N.exec(text);
  const applicationsReceivedText = received ? toInt(received[1] ?? '0') : RECEIVED_NONE.test(text) ? 0 : null;
  const metadata: ReportMetadata = {
    reportYear,
    issuer,
    issuerFull: signature ?? readContactBody(text),
    statPeriod,
    publicationDate,
    contact: readContact(text),
    formatNoticeCited,
    proactiveTotal,
    proactiveByChannel,
    applicationsReceivedText,
    noReviewLitigationText: NO_REVIEW.test(text),
  };
  return checkMetadata(metadata, folded.replace(/\s+/g, ''));
}

function readContactBody(text: string): string | null {
  const m = /请与([\u4e00-\u9fff]{4,40}?(?:人民政府|局|委员会|办事处))/.exec(text);
  return m?.[1] ?? null;
}

function readContact(text: string): Contact | null {
  const field = (re: RegExp): string | undefined => re.exec(text)?.[1];
  const contact: Contact = {
    ...optional(
      'office',
      field(/请与[\u4e00-\u9fff]*?(?:人民政府|局|委员会)?([\u4e00-\u9fff]{2,12}(?:办公室|科|股|中心))联系/),
    ),
    ...optional('address', field(/地址[:：]([^;；,，。)]+)/)),
    ...optional('postcode', field(/邮编[:：]?(\d{6})/)),
    ...optional('phone', field(/(?:联系)?电话[:：]?(\d[\d\-—]{6,19})/)),
    ...optional('email', field(/([A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/)),
    ...optional('website', field(/((?:https?:\/\/)?www\.[A-Za-z0-9./-]+)/)),
  };
  return Object.keys(contact).length > 0 ? contact : null;
}

function optional<K extends keyof Contact>(key: K, value: string | undefined): Partial<Contact> {
  return value ? { [key]: value } : {};
}

/** The first `count` sentences of running text (ended by a full stop that is not a decimal point, or a semicolon). */
function sentences(text: string, count: number): string {
  let end = 0;
  for (let i = 0; i < count; i++) {
    const next = text.slice(end).search(/\.(?!\d)|;/);
    if (next < 0) return text;
    end += next + 1;
  }
  return text.slice(0, end);
}
