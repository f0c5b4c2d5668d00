import type { Channel, ChannelOutputs, ChannelParsed, OperatorView } from '../../../shared/contract.ts';

/** Who the core's access check let through: the manager who authorised a 'manager' channel. */
export interface HandlerContext {
  actor: OperatorView | null;
}

/**
 * A channel's handler; `D` names the services it uses. Each group declares its own `Pick<Services, …>`
 * so the compiler shows (and limits) what it touches; the core passes the whole `Services`, which
 * satisfies every narrower one. There is no default: a new group must say what it uses.
 */
export type Handler<C extends Channel, D> = (input: ChannelParsed<C>, s: D, ctx: HandlerContext) => Promise<ChannelOutputs[C]> | ChannelOutputs[C];
export type Handlers<K extends Channel, D> = { [C in K]: Handler<C, D> };
