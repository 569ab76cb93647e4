// A process of its own that times GET /v1/campaigns/:id and GET /v1/campaigns, alternated, as an
// organizer's browser would: the bench's own process also runs the provider sandbox (hundreds of
// sends and signed status callbacks a second during the stage), whose event loop would otherwise
// delay reading each answer. Usage (bench/scale/queries.ts): read-client.ts <apiUrl> <campaignId>
// <calls> <warmUp>, token in BENCH_TOKEN; prints {"detail": [ms…], "list": [ms…]} on stdout.
import { timeReadPairs } from './read-pairs';

const [apiUrl, campaignId, calls, warmUp] = process.argv.slice(2);
const token = process.env.BENCH_TOKEN;
if (!apiUrl || !campaignId || !token)
  throw new Error('usage: read-client.ts <apiUrl> <campaignId> <calls> <warmUp>');
const samples = await timeReadPairs(apiUrl, token, campaignId, Number(calls), Number(warmUp));
process.stdout.write(JSON.stringify(samples));
