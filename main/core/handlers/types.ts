import type { Channel, ChannelOutputs, ChannelParsed } from '../../../shared/contract.ts';
import type { Services } from '../services.ts';

/** A channel's handler; `D` names the services it uses (the core passes them all). */
export type Handler<C extends Channel, D = Services> = (input: ChannelParsed<C>, s: D) => Promise<ChannelOutputs[C]> | ChannelOutputs[C];
export type Handlers<K extends Channel, D = Services> = { [C in K]: Handler<C, D> };
