"""The call log (电话记录单 / 留言卡): every inbound and outbound call, callbacks, calls that become
complaints, and call audits (电访稽核)."""
