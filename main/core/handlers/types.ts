import type { Channel, ChannelOutputs, ChannelParsed, OperatorView } from '../../../shared/contract.ts';
import type { Services } from '../services.ts';

/** Who the core's access check let through: the manager who authorised a 'manager' channel. */
export interface HandlerContext {
  actor: OperatorView | null;
}

export type Handler<C extends Channel> = (input: ChannelParsed<C>, s: Services, ctx: HandlerContext) => Promise<ChannelOutputs[C]> | ChannelOutputs[C];
export type Handlers<K extends Channel> = { [C in K]: Handler<C> };
