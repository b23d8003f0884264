/**
 * English UI strings. This dictionary defines the keys: `ru.ts` and `kk.ts` are typed as
 * `Messages`, so a key missing there (or misspelt) fails the type check.
 * `{name}` marks a parameter filled in by `i18n.t(key, { name })`.
 */
export const en = {
  'app.name': 'e-Zal',
  'app.tagline': 'Electronic court hall',
  'app.skip_to_content': 'Skip to main content',
  'app.loading': 'Loading…',
  'app.retry': 'Try again',
  'app.to_home': 'Back to the home page',
  'app.start_failed': 'The application could not start.',

  'lang.switch_label': 'Interface language',
  'lang.save_failed': 'The language choice could not be saved.',

  'login.title': 'Sign in',
  'login.subtitle': 'For court staff and participants in proceedings',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.required': 'Enter your username and password.',
  'login.session_ended': 'Your session has ended. Please sign in again.',
  'login.signed_out': 'You have signed out.',

  'header.logout': 'Sign out',
  'header.user': 'Signed in as',
  'header.main_nav': 'Main navigation',
  'header.home': 'Home',

  'realtime.label': 'Connection to the court server',
  'realtime.online': 'Online',
  'realtime.connecting': 'Connecting…',
  'realtime.offline': 'No connection',

  'home.title': 'My desk',
  'home.today_is': 'Today is {date}',
  'home.hearings': 'My hearings',
  'home.hearings_hint': 'From today on, earliest first',
  'home.no_hearings': 'You have no hearings scheduled from today on.',
  'home.cases': 'My cases',
  'home.no_cases': 'No cases are assigned to you.',
  'home.today': 'Today',
  'home.tomorrow': 'Tomorrow',

  'hearing.when': 'Date and time',
  'hearing.hall': 'Hall',
  'hearing.case': 'Case',
  'hearing.status': 'Status',
  'hearing.stage': 'Stage',
  'hearing.presiding': 'Presiding judge',
  'hearing.closed': 'Closed hearing',

  'case.title': 'Case No.\u00a0{number}',
  'case.number': 'Case number',
  'case.erdr': 'ERDR number',
  'case.summary': 'Summary',
  'case.qualification': 'Legal qualification',
  'case.status': 'Status',
  'case.category': 'Category',
  'case.language': 'Language of proceedings',
  'case.received': 'Received',
  'case.received_on': 'Received on {date}',
  'case.staff': 'Court staff',
  'case.participants': 'Participants in the proceedings',
  'case.no_participants': 'No participants are recorded.',
  'case.hearings': 'Hearings',
  'case.no_hearings': 'No hearings are scheduled.',
  'case.forbidden_title': 'No access to this case',
  'case.forbidden_text':
    'A case is open only to the court staff assigned to it and to the participants in the proceedings. If you believe this is a mistake, contact the court office.',
  'case.not_found_title': 'Case not found',
  'case.not_found_text': 'There is no case at this address. Check the link.',

  'qualification.article': '{code}, art. {article}',
  'qualification.article_part': '{code}, art. {article} part {part}',
  'qualification.article_part_paragraph': '{code}, art. {article} part {part} para. {paragraph}',
  'qualification.criminal_code': 'Criminal Code of the Republic of Kazakhstan',

  'page.not_found_title': 'Page not found',
  'page.not_found_text': 'There is no page at this address.',
  'page.error_title': 'Something went wrong',

  'role.judge': 'Judge',
  'role.secretary': 'Court secretary',
  'role.prosecutor': 'Prosecutor',
  'role.defender': 'Defence lawyer',
  'role.office': 'Court office',
  'role.chair': 'Chair of the court',
  'role.admin': 'Administrator',

  'participant.defendant': 'Defendant',
  'participant.victim': 'Victim',
  'participant.victim_representative': "Victim's representative",
  'participant.civil_plaintiff': 'Civil plaintiff',
  'participant.witness': 'Witness',
  'participant.expert': 'Expert',
  'participant.specialist': 'Specialist',
  'participant.interpreter': 'Interpreter',
  'participant.prosecutor': 'Prosecutor',
  'participant.defender': 'Defence lawyer',

  'hearing_status.scheduled': 'Scheduled',
  'hearing_status.in_progress': 'In session',
  'hearing_status.break': 'Break',
  'hearing_status.adjourned': 'Adjourned',
  'hearing_status.suspended': 'Suspended',
  'hearing_status.finished': 'Finished',

  'stage.preparatory': 'Preparatory part',
  'stage.investigation': 'Judicial investigation',
  'stage.pleadings': 'Pleadings',
  'stage.last_word': 'Last word of the defendant',
  'stage.deliberation': 'Deliberation',
  'stage.announcement': 'Announcement of the decision',

  'case_status.received': 'Received',
  'case_status.in_trial': 'At trial',
  'case_status.suspended': 'Suspended',
  'case_status.closed': 'Closed',

  'category.crime': 'Crime',
  'category.misdemeanor': 'Criminal misdemeanour',

  'case_language.kk': 'Kazakh',
  'case_language.ru': 'Russian',

  'error.invalid_request': 'The request was not accepted. Check the data and try again.',
  'error.unauthenticated': 'Your session has ended. Please sign in again.',
  'error.invalid_credentials': 'Wrong username or password.',
  'error.csrf_invalid': 'The page is out of date. Reload it and try again.',
  'error.forbidden': 'You have no access to this.',
  'error.not_found': 'Not found.',
  'error.conflict': 'The data changed in the meantime. Reload the page and try again.',
  'error.too_large': 'The file or request is too large.',
  'error.rate_limited': 'Too many attempts. Wait a minute and try again.',
  'error.internal': 'Something went wrong on the server. Try again later.',
  'error.unavailable': 'The server cannot be reached. Check the connection and try again.',
};

export type MessageKey = keyof typeof en;

/** What every other language must provide: exactly the English keys. */
export type Messages = Record<MessageKey, string>;
