import type { Channel, ChannelOutputs, ChannelParsed } from '../../../shared/contract.ts';
import type { Services } from '../services.ts';

export type Handler<C extends Channel> = (input: ChannelParsed<C>, s: Services) => Promise<ChannelOutputs[C]> | ChannelOutputs[C];
export type Handlers<K extends Channel> = { [C in K]: Handler<C> };
