import { authLogin } from './auth.login.bench.ts';
import { caseText } from './case-text.bench.ts';
import { clusterFailover } from './cluster.failover.bench.ts';
import { clusterFollow } from './cluster.follow.bench.ts';
import { depersonaliseActs } from './depersonalise.bench.ts';
import { ecaseIngest } from './ecase.ingest.bench.ts';
import { hallFollow } from './hall.follow.bench.ts';
import { mediaConsumers } from './media.consumers.bench.ts';
import { mediaGlass } from './media.glass.bench.ts';
import { motionsDeliver } from './motions.deliver.bench.ts';
import { protocolPdf } from './protocol.pdf.bench.ts';
import { searchActs } from './search.acts.bench.ts';
import { recordingCpu } from './recording.cpu.bench.ts';
import { serverStart } from './server.start.bench.ts';
import { situationDashboard } from './situation.dashboard.bench.ts';
import { webWeight } from './web.weight.bench.ts';

export type BenchResult = { metric: string; value: number; unit: string; baseline?: number | null; [param: string]: unknown };
export type Benchmark = () => Promise<BenchResult[]>;

/** Every benchmark by the name `npm run bench -- <name>` takes. */
export const benchmarks: Record<string, Benchmark> = {
  'server.start': serverStart,
  'auth.login': authLogin,
  'ecase.ingest': ecaseIngest,
  'hall.follow': hallFollow,
  'cluster.follow': clusterFollow,
  'cluster.failover': clusterFailover,
  'case-text': caseText,
  'media.consumers': mediaConsumers,
  'media.glass': mediaGlass,
  'motions.deliver': motionsDeliver,
  'protocol.pdf': protocolPdf,
  'search.acts': searchActs,
  depersonalise: depersonaliseActs,
  'situation.dashboard': situationDashboard,
  'recording.cpu': recordingCpu,
  'web.weight': webWeight,
};
