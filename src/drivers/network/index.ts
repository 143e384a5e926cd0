export type {
  AttachRequest,
  Attachment,
  BridgeNetworkSpec,
  NetworkDriverOptions,
  PortMapping,
} from './types.js';
export { NetworkDriver } from './network-driver.js';
export { chooseSubnet } from './subnet.js';
export { allocateAddress } from './ipam.js';
export { hostRoutes } from './host-routes.js';
export { validateBridgeName, macFromIp, parseMac } from './names.js';
export { parsePool } from './subnet.js';
