-- The kernel's login uid of the process that ran each admin command (/proc/self/loginuid): set by pam_loginuid at
-- the login (ssh, console) and kept through sudo, su and runuser, so unlike SUDO_USER and --by the account that runs
-- the command cannot set it to another's. NULL where the kernel says unset (4294967295: a service, cron, a container)
-- or has no such file (another system). Rows recorded before this migration have none.
ALTER TABLE admin_actions ADD COLUMN login_uid bigint;
