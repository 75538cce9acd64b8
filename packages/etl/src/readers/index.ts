import { publishedStatisticsReader } from '../published/published-statistics.js';
import { statisticalNeighboursReader } from '../published/statistical-neighbours.js';
import { schoolListReader } from '../school-list/load-school-list.js';
import { socialCareReaders } from '../social-care/social-care.js';
import type { FileReader } from './reader.js';

/** Every file reader `rollbook load` knows, asked in this order. Add new formats here. */
export const FILE_READERS: readonly FileReader[] = [schoolListReader, ...socialCareReaders, statisticalNeighboursReader, publishedStatisticsReader];

export type { FileReader, ReaderContext, ReaderResult } from './reader.js';
export { RETURN_ORDER } from './reader.js';
